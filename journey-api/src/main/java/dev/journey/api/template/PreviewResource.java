package dev.journey.api.template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNulInput;
import dev.journey.templates.Partials;
import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.templates.TemplateWarning;
import dev.journey.templates.Translations;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionStore;
import dev.journey.worker.subject.SubjectStore;

/**
 * Renders any template against a given context or a real stored event, with inline
 * {@code partials} first and the project's stored snippets after them. A template that does not
 * parse or fails to render is an answer (200 with errors by field, line and column), and every
 * variable it reads that the context lacks is a warning naming the default used — never a 500.
 * With {@code translations}, the variant of {@code locale} (or of the context's {@code user.locale})
 * is rendered, and a locale none of them serves is a warning.
 */
@ProjectKey
@Path("/v1/projects/{projectId}/templates/preview")
public class PreviewResource {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};

    @Inject
    TemplateRenderer templates;
    @Inject
    ProjectTemplates projectTemplates;
    @Inject
    RetentionStore retention;
    @Inject
    EventStore events;
    @Inject
    ObjectMapper json;
    @Inject
    SubjectStore subjectStore;

    /** A preview: what {@link RenderResult} holds, and the locale of the variant rendered (null: the template declares none). */
    public record Preview(Map<String, String> rendered, List<TemplateError> errors, List<TemplateWarning> warnings, String locale) {}

    @POST
    public Preview preview(@PathParam("projectId") String projectId, JsonNode body) {
        TemplateRequests.object(body, "{\"template\": {...}, \"context\": {...}}");
        Map<String, String> fields = TemplateRequests.fields(body.get("template"), "template", true);
        Map<String, String> inline = TemplateRequests.fields(body.get("partials"), "partials", false);
        Translations translations = TemplateRequests.translations(body);
        Map<String, Object> context = context(projectId, body);
        String locale = locale(body, context);
        // The variant a send to this user would render (MessageRecorder chooses the same way).
        Translations.Choice language = translations.choose(fields, locale);
        ProjectTemplates.Snippets snippets = projectTemplates.snippets(projectId);
        RenderResult result = templates.preview(language.fields(), context, Partials.of(inline).orElse(snippets));
        // A database failure while reading a snippet is ours, not an error in the template being previewed.
        snippets.throwIfUnavailable();
        List<TemplateError> errors = new ArrayList<>(translations.problems(fields));
        errors.addAll(result.errors());
        List<TemplateWarning> warnings = new ArrayList<>(result.warnings());
        if (language.missing() != null) {
            warnings.add(new TemplateWarning("translations", "no translation for " + language.missing() + " (tried "
                    + String.join(", ", Translations.chain(language.missing())) + "): the default"
                    + (translations.defaultLocale() == null ? "" : " (" + translations.defaultLocale() + ")")
                    + " was used; a send does the same and counts it in the message log (missingTranslation)"));
        }
        return new Preview(result.rendered(), errors, warnings, language.locale());
    }

    /** The locale to preview: the request's {@code locale}, else the context's {@code user.locale}. */
    private static String locale(JsonNode body, Map<String, Object> context) {
        JsonNode locale = body.get("locale");
        if (locale == null || locale.isNull()) {
            return Translations.userLocale(context);
        }
        if (!locale.isTextual() || (!locale.asText().isBlank() && Translations.chain(locale.asText()).isEmpty())) {
            throw ApiException.badRequest("invalid locale", List.of(new ApiError.Detail("locale", "must be a language tag such as \"ko\" or \"ko-KR\"")));
        }
        return locale.asText();
    }

    private Map<String, Object> context(String projectId, JsonNode body) {
        JsonNode eventId = body.get("eventId");
        if (eventId != null && !eventId.isNull()) {
            if (!eventId.isTextual() && !eventId.isIntegralNumber()) {
                throw ApiException.badRequest("invalid eventId", List.of(new ApiError.Detail("eventId", "must be a string or a number")));
            }
            if (eventId.asText().indexOf('\u0000') >= 0) {
                throw ApiException.badRequest("invalid eventId", List.of(new ApiError.Detail("eventId", NoNulInput.PROBLEM)));
            }
            return eventContext(projectId, eventId.asText());
        }
        JsonNode context = body.get("context");
        if (context == null || context.isNull()) {
            return Map.of();
        }
        if (!context.isObject()) {
            throw ApiException.badRequest("invalid context", List.of(new ApiError.Detail("context", "must be an object")));
        }
        return json.convertValue(context, MAP);
    }

    /** The variables a journey would see had this event entered it, with the user's stored tags and timezone. */
    private Map<String, Object> eventContext(String projectId, String eventId) {
        EntryEvent event = events.find(projectId, eventId, retention.retainedFrom(projectId, Retained.EVENTS, Instant.now())).orElseThrow(() -> ApiException.badRequest("unknown event",
                List.of(new ApiError.Detail("eventId", "no event " + eventId + " in this project"))));
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("entry_event", event.asMap());
        // The same user a real send sees (SubjectStore.user), so preview and message agree.
        context.put("user", subjectStore.user(projectId, event.subjectType(), event.subjectId()));
        return context;
    }
}
