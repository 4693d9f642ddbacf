package dev.journey.api.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.project.ApiKeys;
import dev.journey.api.project.ProjectQuota;
import dev.journey.templates.TemplateError;
import dev.journey.templates.Translations;
import dev.journey.templates.TemplateRenderer;

/**
 * Stored message templates: {@code {"name": "Welcome push", "fields": {"title": "…", "body":
 * "…"}}}. Every field must parse (422 with field, line and column otherwise); every save is a new
 * numbered version, and earlier versions stay readable with {@code ?version=N}.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/templates")
public class TemplateResource {
    private static final TypeReference<LinkedHashMap<String, String>> FIELDS = new TypeReference<>() {};

    @Inject
    TemplateRenderer templates;
    @Inject
    ObjectMapper json;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) throws JsonProcessingException {
        ProjectQuota.TEMPLATES.check(MessageTemplate.count("projectId", projectId));
        TemplateRequests.object(body, "{\"name\": \"...\", \"fields\": {\"body\": \"...\"}}");
        String name = TemplateRequests.name(body);
        MessageTemplate template = new MessageTemplate();
        template.id = ApiKeys.newSecret("tpl_").substring(0, 20);
        template.projectId = projectId;
        template.name = name;
        setContent(template, body);
        template.saveVersion();
        return Response.status(201).entity(view(template.id, template.name, template.fields, template.translations, template.defaultLocale,
                template.version, template)).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) throws JsonProcessingException {
        List<Map<String, Object>> out = new ArrayList<>();
        for (MessageTemplate t : MessageTemplate.<MessageTemplate>list("projectId = ?1 order by createdAt, id", projectId)) {
            out.add(view(t.id, t.name, t.fields, t.translations, t.defaultLocale, t.version, t));
        }
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id,
                                   @QueryParam("version") String version) throws JsonProcessingException {
        MessageTemplate template = existing(projectId, id);
        if (version == null || version.isBlank()) {
            return view(template.id, template.name, template.fields, template.translations, template.defaultLocale, template.version,
                    template);
        }
        MessageTemplateVersion old = MessageTemplateVersion.find("documentId = ?1 and version = ?2", id, versionNumber(version)).firstResult();
        if (old == null) {
            throw ApiException.notFound("version " + version + " of template " + id);
        }
        return view(id, old.name, old.fields, old.translations, old.defaultLocale, old.version, template);
    }

    @PUT
    @Path("{id}")
    @Transactional
    public Map<String, Object> update(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body)
            throws JsonProcessingException {
        MessageTemplate template = existing(projectId, id);
        TemplateRequests.object(body, "{\"name\": \"...\", \"fields\": {\"body\": \"...\"}}");
        String name = TemplateRequests.name(body);
        template.name = name;
        setContent(template, body);
        template.saveVersion();
        return view(template.id, template.name, template.fields, template.translations, template.defaultLocale, template.version, template);
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        MessageTemplate template = existing(projectId, id);
        MessageTemplateVersion.delete("documentId", template.id);
        template.delete();
        return Response.noContent().build();
    }

    /** The fields, translations and default locale of the request, checked: 400 for their shape, 422 for their Liquid. */
    private void setContent(MessageTemplate template, JsonNode body) throws JsonProcessingException {
        Map<String, String> fields = TemplateRequests.fields(body.get("fields"), "fields", true);
        Translations translations = TemplateRequests.translations(body);
        List<TemplateError> errors = templates.validate(fields, "fields", translations);
        if (!errors.isEmpty()) {
            throw new InvalidTemplateException(errors);
        }
        template.fields = json.writeValueAsString(fields);
        template.translations = translations.variants().isEmpty() ? null : json.writeValueAsString(translations.variants());
        template.defaultLocale = translations.defaultLocale();
    }

    static int versionNumber(String version) {
        try {
            int n = Integer.parseInt(version.strip());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw ApiException.badRequest("invalid version", List.of(new dev.journey.api.error.ApiError.Detail("version", "must be a whole number from 1")));
    }

    private static MessageTemplate existing(String projectId, String id) {
        MessageTemplate template = MessageTemplate.find(projectId, id);
        if (template == null) {
            throw ApiException.notFound("template " + id);
        }
        return template;
    }

    private Map<String, Object> view(String id, String name, String fields, String translations, String defaultLocale, int version,
                                     MessageTemplate current) throws JsonProcessingException {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", name);
        view.put("fields", json.readValue(fields, FIELDS));
        view.put("defaultLocale", defaultLocale);
        view.put("translations", translations == null ? Map.of() : json.readTree(translations));
        view.put("version", version);
        view.put("latestVersion", current.version);
        view.put("createdAt", current.createdAt);
        view.put("updatedAt", current.updatedAt);
        return view;
    }
}
