package dev.journey.api.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.NoNul;
import dev.journey.api.project.ApiKeys;
import dev.journey.api.project.ProjectQuota;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;

/**
 * A project's snippets: {@code {"name": "footer", "source": "…"}}, used by that project's
 * templates as {@code {% render 'footer' %}} or {@code {% include 'footer' %}}. Names are unique
 * in a project (409 otherwise); sources must parse (422); every save is a new version.
 */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/snippets")
public class SnippetResource {
    /** What a name may look like inside {@code {% render '…' %}}: no quotes, no spaces. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]{0,99}");

    @Inject
    TemplateRenderer templates;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        ProjectQuota.SNIPPETS.check(Snippet.count("projectId", projectId));
        TemplateRequests.object(body, "{\"name\": \"footer\", \"source\": \"...\"}");
        String name = name(body);
        String source = source(body);
        if (Snippet.named(projectId, name) != null) {
            throw new ApiException(409, "conflict", "a snippet named '" + name + "' already exists in this project",
                    List.of(new ApiError.Detail("name", "already used")));
        }
        Snippet snippet = new Snippet();
        snippet.id = ApiKeys.newSecret("snp_").substring(0, 20);
        snippet.projectId = projectId;
        snippet.name = name;
        snippet.source = source;
        saveOrConflict(snippet);
        return Response.status(201).entity(view(snippet.id, snippet.name, snippet.source, snippet.version, snippet)).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Snippet s : Snippet.<Snippet>list("projectId = ?1 order by name", projectId)) {
            out.add(view(s.id, s.name, s.source, s.version, s));
        }
        return out;
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id,
                                   @QueryParam("version") String version) {
        Snippet snippet = existing(projectId, id);
        if (version == null || version.isBlank()) {
            return view(snippet.id, snippet.name, snippet.source, snippet.version, snippet);
        }
        SnippetVersion old = SnippetVersion.find("documentId = ?1 and version = ?2", id, TemplateResource.versionNumber(version)).firstResult();
        if (old == null) {
            throw ApiException.notFound("version " + version + " of snippet " + id);
        }
        return view(id, old.name, old.source, old.version, snippet);
    }

    @PUT
    @Path("{id}")
    @Transactional
    public Map<String, Object> update(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
        Snippet snippet = existing(projectId, id);
        TemplateRequests.object(body, "{\"name\": \"footer\", \"source\": \"...\"}");
        String name = name(body);
        String source = source(body);
        Snippet other = Snippet.named(projectId, name);
        if (other != null && !other.id.equals(id)) {
            throw new ApiException(409, "conflict", "a snippet named '" + name + "' already exists in this project",
                    List.of(new ApiError.Detail("name", "already used")));
        }
        snippet.name = name;
        snippet.source = source;
        saveOrConflict(snippet);
        return view(snippet.id, snippet.name, snippet.source, snippet.version, snippet);
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        Snippet snippet = existing(projectId, id);
        SnippetVersion.delete("documentId", snippet.id);
        snippet.delete();
        return Response.noContent().build();
    }

    private static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            throw ApiException.badRequest("invalid name", List.of(new ApiError.Detail("name",
                    "must be 1 to 100 letters, digits, '_', '-', '.' or '/', starting with a letter, digit or '_'")));
        }
        return name.asText();
    }

    private String source(JsonNode body) {
        JsonNode source = body.get("source");
        if (source == null || !source.isTextual()) {
            throw ApiException.badRequest("invalid source", List.of(new ApiError.Detail("source", "must be a string of Liquid")));
        }
        List<TemplateError> errors = templates.validate(Map.of("source", source.asText()));
        if (!errors.isEmpty()) {
            throw new InvalidTemplateException("", errors);
        }
        return source.asText();
    }

    /** Saves the next version. Two saves racing for one name: the database's unique key decides, and the loser gets 409, not 500. */
    private static void saveOrConflict(Snippet snippet) {
        try {
            snippet.saveVersion();
            Snippet.flush();
        } catch (PersistenceException e) {
            throw new ApiException(409, "conflict", "a snippet named '" + snippet.name + "' already exists in this project",
                    List.of(new ApiError.Detail("name", "already used")));
        }
    }

    private static Snippet existing(String projectId, String id) {
        Snippet snippet = Snippet.find(projectId, id);
        if (snippet == null) {
            throw ApiException.notFound("snippet " + id);
        }
        return snippet;
    }

    private static Map<String, Object> view(String id, String name, String source, int version, Snippet current) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", id);
        view.put("name", name);
        view.put("source", source);
        view.put("version", version);
        view.put("latestVersion", current.version);
        view.put("createdAt", current.createdAt);
        view.put("updatedAt", current.updatedAt);
        return view;
    }
}
