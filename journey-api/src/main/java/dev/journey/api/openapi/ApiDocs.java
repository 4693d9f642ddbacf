package dev.journey.api.openapi;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

import dev.journey.api.access.AccessRule;
import dev.journey.api.access.AdminOnly;
import dev.journey.api.access.KeyScope;
import dev.journey.api.access.ProjectKey;
import dev.journey.api.access.Public;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * Completes the OpenAPI document SmallRye builds from the resource classes, from the same declarations the
 * server enforces: each operation's security is its method's access declaration ({@link AccessRule}: a secret
 * key, a publishable key too, the admin token, or none), every operation lists its error answers as
 * {@code ApiError}, and the operations whose Java signature cannot tell their JSON (a {@code JsonNode} body
 * read by a validator that reports every problem with its path, a map or a {@code Response} written back) get
 * their schemas from {@code META-INF/openapi.yaml} through {@link #BODIES}. Operation ids become short names for
 * client generators ({@code channelCreate}, {@code track}).
 *
 * <p>Runs at start-up (not at build time), where the resource classes are loadable for their declarations.
 */
@OpenApiFilter(OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class ApiDocs implements OASFilter {
    /** What a method reads and answers: request schema (or null), success status, response schema (or null), a list of it. */
    record Body(String request, int status, String response, boolean list) {}

    /** A response that is an image (an e-mail's open pixel), not JSON. */
    static final String IMAGE = "image/gif";

    /** Marks a request schema whose body may be left out. */
    private static final String OPTIONAL = "optional:";

    static final Map<String, Body> BODIES = Map.ofEntries(
            Map.entry("TrackResource.track", new Body("TrackRequest", 202, "TrackAccepted", false)),
            Map.entry("EventTypeResource.list", new Body(null, 200, "EventType", true)),
            Map.entry("EventTypeResource.declare", new Body("EventTypeRequest", 201, "EventType", false)),
            Map.entry("ChannelResource.create", new Body("ChannelRequest", 201, "Channel", false)),
            Map.entry("ChannelResource.list", new Body(null, 200, "Channel", true)),
            Map.entry("ChannelResource.get", new Body(null, 200, "Channel", false)),
            Map.entry("ChannelResource.replace", new Body("ChannelRequest", 200, "Channel", false)),
            Map.entry("ChannelResource.delete", new Body(null, 204, null, false)),
            Map.entry("ClickResource.follow", new Body(null, 302, null, false)),
            Map.entry("OpenPixelResource.open", new Body(null, 200, IMAGE, false)),
            Map.entry("MessageOpenedResource.opened", new Body(null, 200, "MessageOpened", false)),
            Map.entry("DeliverySettingsResource.get", new Body(null, 200, "DeliverySettings", false)),
            Map.entry("DeliverySettingsResource.put", new Body("DeliverySettings", 200, "DeliverySettings", false)),
            Map.entry("RetentionResource.get", new Body(null, 200, "Retention", false)),
            Map.entry("RetentionResource.put", new Body("RetentionRequest", 200, "Retention", false)),
            Map.entry("InAppActionResource.act", new Body(OPTIONAL + "InAppActionDetails", 200, "InAppAction", false)),
            Map.entry("DispatchResource.retryAll", new Body(null, 202, "Requeued", false)),
            Map.entry("DispatchResource.retry", new Body(null, 202, "Requeued", false)),
            Map.entry("JourneyResource.create", new Body("JourneyDefinition", 201, null, false)),
            Map.entry("JourneyResource.update", new Body("JourneyDefinition", 200, null, false)),
            Map.entry("JourneyResource.delete", new Body(null, 204, null, false)),
            Map.entry("DryRunResource.dryRun", new Body(OPTIONAL + "DryRunRequest", 200, "DryRun", false)),
            Map.entry("AdminResource.create", new Body(null, 201, "ProjectCreated", false)),
            Map.entry("ApiKeyResource.create", new Body("ApiKeyRequest", 201, "ApiKey", false)),
            Map.entry("ApiKeyResource.list", new Body(null, 200, "ApiKey", true)),
            Map.entry("ApiKeyResource.rotate", new Body("RotateRequest", 201, "ApiKey", false)),
            Map.entry("ApiKeyResource.revoke", new Body(null, 204, null, false)),
            Map.entry("SegmentResource.create", new Body("SegmentRequest", 201, "Segment", false)),
            Map.entry("SegmentResource.list", new Body(null, 200, "Segment", true)),
            Map.entry("SegmentResource.get", new Body(null, 200, "Segment", false)),
            Map.entry("SegmentResource.update", new Body("SegmentRequest", 200, "Segment", false)),
            Map.entry("SegmentResource.delete", new Body(null, 204, null, false)),
            Map.entry("SegmentResource.count", new Body(null, 200, "SegmentCount", false)),
            Map.entry("SegmentResource.preview", new Body("SegmentPreview", 200, "SegmentCount", false)),
            Map.entry("SegmentResource.members", new Body(null, 200, "SegmentMembers", false)),
            Map.entry("PreviewResource.preview", new Body("PreviewRequest", 200, null, false)),
            Map.entry("TemplateResource.create", new Body("TemplateRequest", 201, "Template", false)),
            Map.entry("TemplateResource.list", new Body(null, 200, "Template", true)),
            Map.entry("TemplateResource.get", new Body(null, 200, "Template", false)),
            Map.entry("TemplateResource.update", new Body("TemplateRequest", 200, "Template", false)),
            Map.entry("TemplateResource.delete", new Body(null, 204, null, false)),
            Map.entry("SnippetResource.create", new Body("SnippetRequest", 201, "Snippet", false)),
            Map.entry("SnippetResource.list", new Body(null, 200, "Snippet", true)),
            Map.entry("SnippetResource.get", new Body(null, 200, "Snippet", false)),
            Map.entry("SnippetResource.update", new Body("SnippetRequest", 200, "Snippet", false)),
            Map.entry("SnippetResource.delete", new Body(null, 204, null, false)),
            Map.entry("DeviceResource.register", new Body("DeviceRequest", 201, "Device", false)),
            Map.entry("UserResource.putTags", new Body("TagsRequest", 200, "UserTags", false)),
            Map.entry("BroadcastResource.create", new Body("BroadcastRequest", 201, "Broadcast", false)),
            Map.entry("BroadcastResource.list", new Body(null, 200, "Broadcast", true)),
            Map.entry("BroadcastResource.get", new Body(null, 200, "Broadcast", false)),
            Map.entry("BroadcastResource.cancel", new Body(null, 200, "Broadcast", false)),
            Map.entry("TopicResource.create", new Body("Topic", 201, "Topic", false)),
            Map.entry("TopicResource.list", new Body(null, 200, "Topic", true)),
            Map.entry("TopicResource.get", new Body(null, 200, "Topic", false)),
            Map.entry("TopicResource.update", new Body("Topic", 200, "Topic", false)),
            Map.entry("TopicResource.delete", new Body(null, 204, null, false)),
            Map.entry("SubscriptionResource.get", new Body(null, 200, "Subscriptions", false)),
            Map.entry("SubscriptionResource.put", new Body("SubscriptionsRequest", 200, "Subscriptions", false)),
            Map.entry("UserResource.get", new Body(null, 200, "User", false)));

    private static final String JSON = "application/json";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> op : item.getOperations().entrySet()) {
                describe(op.getKey(), op.getValue());
            }
        }
    }

    private void describe(PathItem.HttpMethod http, Operation operation) {
        Method method = javaMethod(operation.getOperationId(), http);
        if (method == null) {
            return;
        }
        Class<?> resource = method.getDeclaringClass();
        Annotation rule = AccessRule.of(resource, method);
        operation.setSecurity(security(rule));
        String name = resource.getSimpleName() + "." + method.getName();
        Body body = BODIES.get(name);
        if (body != null) {
            apply(operation, body);
        }
        errors(operation, rule, body);
        operation.setOperationId(shortId(resource.getSimpleName(), method.getName()));
    }

    /** {@code dev.journey.api.channel.ChannelResource_create} (the package-class-method strategy) → that method. */
    private static Method javaMethod(String operationId, PathItem.HttpMethod http) {
        if (operationId == null || operationId.lastIndexOf('_') < 0) {
            return null;
        }
        int split = operationId.lastIndexOf('_');
        try {
            Class<?> c = Class.forName(operationId.substring(0, split), false, Thread.currentThread().getContextClassLoader());
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(operationId.substring(split + 1)) && handles(m, http)) {
                    return m;
                }
            }
        } catch (ClassNotFoundException e) {
            return null;
        }
        return null;
    }

    private static boolean handles(Method m, PathItem.HttpMethod http) {
        return switch (http) {
            case GET -> m.isAnnotationPresent(GET.class);
            case POST -> m.isAnnotationPresent(POST.class);
            case PUT -> m.isAnnotationPresent(PUT.class);
            case DELETE -> m.isAnnotationPresent(DELETE.class);
            default -> false;
        };
    }

    /** The schemes that may call, as alternatives; none for a public endpoint. */
    static List<SecurityRequirement> security(Annotation rule) {
        List<String> schemes = new ArrayList<>();
        if (rule instanceof ProjectKey key) {
            schemes.add("secretKey");
            if (key.scope() == KeyScope.PUBLISHABLE) {
                schemes.add("publishableKey");
            }
            if (key.orAdmin()) {
                schemes.add("adminToken");
            }
        } else if (rule instanceof AdminOnly) {
            schemes.add("adminToken");
        }
        return schemes.stream().map(s -> OASFactory.createSecurityRequirement().addScheme(s)).toList();
    }

    private static void apply(Operation operation, Body body) {
        if (body.request() != null) {
            boolean optional = body.request().startsWith(OPTIONAL);
            operation.setRequestBody(OASFactory.createRequestBody().required(!optional)
                    .content(json(ref(body.request().substring(optional ? OPTIONAL.length() : 0)))));
        }
        APIResponses responses = OASFactory.createAPIResponses();
        var success = OASFactory.createAPIResponse().description(switch (body.status()) {
            case 201 -> "Created";
            case 202 -> "Accepted";
            case 204 -> "No content";
            case 302 -> "Redirect to the link's target (Location)";
            default -> "OK";
        });
        Map<String, org.eclipse.microprofile.openapi.models.responses.APIResponse> kept = existing(operation);
        if (IMAGE.equals(body.response())) {
            success.content(OASFactory.createContent().addMediaType(IMAGE, OASFactory.createMediaType()
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("binary"))));
        } else if (body.response() != null) {
            Schema schema = ref(body.response());
            success.content(json(body.list() ? OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(schema) : schema));
        } else if (body.status() != 204 && body.status() != 302) {
            // The type the code returns (a record) says it: keep what SmallRye made of it.
            kept.values().stream().filter(r -> r.getContent() != null).findFirst().ifPresent(r -> success.content(r.getContent()));
        }
        responses.addAPIResponse(String.valueOf(body.status()), success);
        operation.setResponses(responses);
    }

    private static Map<String, org.eclipse.microprofile.openapi.models.responses.APIResponse> existing(Operation operation) {
        return operation.getResponses() == null || operation.getResponses().getAPIResponses() == null ? Map.of()
                : new LinkedHashMap<>(operation.getResponses().getAPIResponses());
    }

    /** The error answers an operation may give, each an ApiError (API.md "Error shape"). */
    private static void errors(Operation operation, Annotation rule, Body body) {
        Map<String, String> errors = new LinkedHashMap<>();
        errors.put("400", "The request is invalid: details[] names every problem with its path");
        if (!(rule instanceof Public)) {
            errors.put("401", "No key, or not a valid one");
            errors.put("403", "A key of another project, or a publishable key where a secret one is needed");
        }
        errors.put("404", "Not found");
        if (body != null && body.request() != null) {
            errors.put("413", "The body is too large");
            errors.put("422", "Well-formed but not acceptable (a definition's problems, a quota reached): details[] with paths");
        }
        if (rule instanceof ProjectKey key && key.scope() == KeyScope.PUBLISHABLE) {
            errors.put("429", "Too many requests with this publishable key (Retry-After says when to try again)");
        }
        errors.put("500", "Unexpected failure");
        APIResponses responses = operation.getResponses() == null ? OASFactory.createAPIResponses() : operation.getResponses();
        errors.forEach((code, text) -> {
            if (responses.getAPIResponse(code) == null) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(text).content(json(ref("ApiError"))));
            }
        });
        operation.setResponses(responses);
    }

    private static Schema ref(String component) {
        return OASFactory.createSchema().ref("#/components/schemas/" + component);
    }

    private static Content json(Schema schema) {
        return OASFactory.createContent().addMediaType(JSON, OASFactory.createMediaType().schema(schema));
    }

    /** {@code ChannelResource.create} → {@code channelCreate}; {@code TrackResource.track} → {@code track}. */
    static String shortId(String resource, String method) {
        String stem = resource.endsWith("Resource") ? resource.substring(0, resource.length() - "Resource".length()) : resource;
        stem = stem.substring(0, 1).toLowerCase(Locale.ROOT) + stem.substring(1);
        return stem.equalsIgnoreCase(method) ? method : stem + Character.toUpperCase(method.charAt(0)) + method.substring(1);
    }
}
