package dev.journey.api.channel;

import java.net.URI;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.project.ApiKeys;
import dev.journey.worker.dsl.Durations;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.message.PushChannel;

/**
 * The project's delivery channels: webhook, email (SMTP), push (FCM or APNs), sms (Twilio-compatible)
 * and inapp. Secrets (webhook secret, SMTP password, push credentials, SMS auth token) are written,
 * never read back: a webhook secret generated for you is shown once in the answer to the POST, and
 * a PUT that leaves a secret out keeps the one stored.
 */
@Path("/v1/projects/{projectId}/channels")
public class ChannelResource {
    /** Config fields that are credentials, by type. */
    static final Map<String, Set<String>> SECRETS = Map.of(
            "webhook", Set.of("secret"),
            "email", Set.of("password"),
            "push", Set.of("accessToken", "privateKey"),
            "sms", Set.of("authToken"),
            "inapp", Set.of());
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern ALPHA_SENDER = Pattern.compile("[A-Za-z0-9 ]{1,11}");

    @Inject
    ObjectMapper json;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) throws JsonProcessingException {
        String type = type(body);
        ObjectNode config = config(type, body, null);
        Channel channel = new Channel();
        channel.id = ApiKeys.newSecret("ch_").substring(0, 19);
        channel.projectId = projectId;
        channel.type = type;
        channel.config = json.writeValueAsString(config);
        channel.persist();
        Map<String, Object> view = view(channel);
        if (type.equals("webhook") && !body.hasNonNull("secret")) {
            view.put("secret", config.get("secret").asText());
        }
        return Response.status(201).entity(view).build();
    }

    @GET
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Channel channel : Channel.<Channel>list("projectId = ?1 order by createdAt", projectId)) {
            out.add(view(channel));
        }
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id) throws JsonProcessingException {
        return view(find(projectId, id));
    }

    /** Replaces the configuration; the type stays, and secrets left out are kept. */
    @PUT
    @Path("{id}")
    @Transactional
    public Map<String, Object> replace(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body)
            throws JsonProcessingException {
        Channel channel = find(projectId, id);
        if (body != null && body.hasNonNull("type") && !channel.type.equals(body.get("type").asText())) {
            throw ApiException.badRequest("the type of a channel cannot change", List.of(new ApiError.Detail("type",
                    "is " + channel.type + "; create a new channel for another type")));
        }
        ObjectNode config = config(channel.type, body, (ObjectNode) json.readTree(channel.config));
        channel.config = json.writeValueAsString(config);
        channel.updatedAt = Instant.now();
        return view(channel);
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        find(projectId, id).delete();
        return Response.noContent().build();
    }

    private static Channel find(String projectId, String id) {
        Channel channel = Channel.findById(id);
        if (channel == null || !channel.projectId.equals(projectId)) {
            throw ApiException.notFound("channel " + id);
        }
        return channel;
    }

    private static String type(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a channel must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        String type = body.path("type").asText(null);
        if (type == null || !JourneyValidator.CHANNELS.contains(type)) {
            throw ApiException.badRequest("unsupported channel type", List.of(new ApiError.Detail("type",
                    "must be one of " + JourneyValidator.CHANNELS)));
        }
        return type;
    }

    /** Validates a channel's fields, naming every problem; {@code stored} supplies secrets a PUT leaves out. */
    private ObjectNode config(String type, JsonNode body, ObjectNode stored) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("a channel must be a JSON object", List.of(new ApiError.Detail("", "expected an object")));
        }
        ObjectNode in = body.deepCopy();
        if (stored != null) {
            for (String secret : SECRETS.get(type)) {
                if (!in.hasNonNull(secret) && stored.hasNonNull(secret)) {
                    in.set(secret, stored.get(secret));
                }
            }
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        ObjectNode config = json.createObjectNode();
        switch (type) {
            case "webhook" -> {
                url(in, "url", true, problems, config);
                JsonNode secret = in.get("secret");
                if (secret != null && !secret.isNull() && (!secret.isTextual() || secret.asText().length() < 16)) {
                    problems.add(new ApiError.Detail("secret", "must be a string of at least 16 characters (or leave it out to get one)"));
                }
                config.put("secret", secret == null || secret.isNull() ? ApiKeys.newSecret("whsec_") : secret.asText());
                timeout(in, problems, config);
            }
            case "email" -> {
                text(in, "host", true, problems, config);
                JsonNode port = in.get("port");
                if (port == null || !port.canConvertToInt() || !port.isIntegralNumber() || port.asInt() < 1 || port.asInt() > 65535) {
                    problems.add(new ApiError.Detail("port", "must be a port number (1-65535), e.g. 587"));
                } else {
                    config.put("port", port.asInt());
                }
                String tls = in.path("tls").asText("starttls");
                if (!List.of("none", "starttls", "tls").contains(tls)) {
                    problems.add(new ApiError.Detail("tls", "must be one of [none, starttls, tls]"));
                }
                config.put("tls", tls);
                text(in, "username", false, problems, config);
                text(in, "password", config.has("username"), problems, config);
                String from = in.path("from").asText(null);
                try {
                    if (from == null) {
                        throw new AddressException("missing");
                    }
                    new InternetAddress(from, true).validate();
                    config.put("from", from);
                } catch (AddressException e) {
                    problems.add(new ApiError.Detail("from", "must be an e-mail address, e.g. \"Shop <shop@example.com>\""));
                }
                timeout(in, problems, config);
            }
            case "push" -> {
                String provider = in.path("provider").asText(null);
                url(in, "baseUrl", false, problems, config);
                if ("fcm".equals(provider)) {
                    text(in, "fcmProjectId", true, problems, config);
                    text(in, "accessToken", true, problems, config);
                } else if ("apns".equals(provider)) {
                    text(in, "teamId", true, problems, config);
                    text(in, "keyId", true, problems, config);
                    text(in, "bundleId", true, problems, config);
                    if (text(in, "privateKey", true, problems, config)) {
                        try {
                            PushChannel.privateKey(config.get("privateKey").asText());
                        } catch (GeneralSecurityException | IllegalArgumentException e) {
                            problems.add(new ApiError.Detail("privateKey", "must be the APNs signing key (.p8, PEM, \"-----BEGIN PRIVATE KEY-----…\")"));
                        }
                    }
                } else {
                    problems.add(new ApiError.Detail("provider", "must be one of [fcm, apns]"));
                }
                config.put("provider", provider);
            }
            case "sms" -> {
                url(in, "baseUrl", false, problems, config);
                text(in, "accountSid", true, problems, config);
                text(in, "authToken", true, problems, config);
                boolean service = text(in, "messagingServiceSid", false, problems, config);
                if (in.hasNonNull("from")) {
                    String from = in.get("from").asText();
                    if (!E164.matcher(from).matches() && !ALPHA_SENDER.matcher(from).matches()) {
                        problems.add(new ApiError.Detail("from", "must be an E.164 number (+14155550100) or an alphanumeric sender of up to 11 characters"));
                    }
                    config.put("from", from);
                } else if (!service) {
                    problems.add(new ApiError.Detail("from", "is required (or give messagingServiceSid)"));
                }
                JsonNode max = in.get("maxSegments");
                if (max != null && !max.isNull() && (!max.isIntegralNumber() || max.asInt() < 1 || max.asInt() > 20)) {
                    problems.add(new ApiError.Detail("maxSegments", "must be a whole number from 1 to 20"));
                }
                config.put("maxSegments", max == null || max.isNull() ? 10 : max.asInt());
            }
            default -> { } // inapp: stored for the user, nothing to configure
        }
        if (in.hasNonNull("name")) {
            config.put("name", in.get("name").asText());
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("the " + type + " channel is not valid", problems);
        }
        return config;
    }

    private static boolean text(JsonNode in, String field, boolean required, List<ApiError.Detail> problems, ObjectNode config) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(new ApiError.Detail(field, "is required"));
            }
            return false;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            problems.add(new ApiError.Detail(field, "must be a non-empty string"));
            return false;
        }
        config.put(field, v.asText());
        return true;
    }

    private static void url(JsonNode in, String field, boolean required, List<ApiError.Detail> problems, ObjectNode config) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problems.add(new ApiError.Detail(field, "must be an absolute http or https URL"));
            }
            return;
        }
        try {
            URI uri = URI.create(v.asText());
            if (!v.isTextual() || uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
                problems.add(new ApiError.Detail(field, "must be an absolute http or https URL"));
                return;
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail(field, "must be an absolute http or https URL"));
            return;
        }
        String url = v.asText();
        config.put(field, url.endsWith("/") && !field.equals("url") ? url.substring(0, url.length() - 1) : url);
    }

    /** How long one attempt may take ("PT5S"); the delivery activity itself is cut at 30 s, so at most 25 s. */
    private static void timeout(JsonNode in, List<ApiError.Detail> problems, ObjectNode config) {
        JsonNode v = in.get("timeout");
        if (v == null || v.isNull()) {
            return;
        }
        try {
            Duration d = Durations.parse(v.asText());
            if (!v.isTextual() || d.toMillis() < 100 || d.compareTo(Duration.ofSeconds(25)) > 0) {
                problems.add(new ApiError.Detail("timeout", "must be an ISO-8601 duration from PT0.1S to PT25S, e.g. \"PT5S\""));
                return;
            }
            config.put("timeout", v.asText());
            config.put("timeoutMillis", d.toMillis());
        } catch (IllegalArgumentException e) {
            problems.add(new ApiError.Detail("timeout", e.getMessage()));
        }
    }

    private Map<String, Object> view(Channel channel) throws JsonProcessingException {
        JsonNode config = json.readTree(channel.config);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", channel.id);
        view.put("type", channel.type);
        Set<String> secrets = SECRETS.getOrDefault(channel.type, Set.of());
        List<String> secretsSet = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (secrets.contains(f.getKey())) {
                secretsSet.add(f.getKey());
            } else if (!f.getKey().equals("timeoutMillis")) {
                view.put(f.getKey(), f.getValue());
            }
        }
        view.put("secretsSet", secretsSet);
        view.put("createdAt", channel.createdAt);
        view.put("updatedAt", channel.updatedAt);
        return view;
    }
}
