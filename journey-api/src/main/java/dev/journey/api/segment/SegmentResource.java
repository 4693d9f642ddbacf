package dev.journey.api.segment;

import java.time.Instant;
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
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.paging.Page;
import dev.journey.api.project.ApiKeys;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.segment.SegmentSql;
import dev.journey.worker.subject.SubjectStore;

/** Segments: definitions, and their count and members computed in PostgreSQL from one compiled query. */
@Path("/v1/projects/{projectId}/segments")
public class SegmentResource {
    @Inject
    JourneyValidator validator;
    @Inject
    ObjectMapper json;
    @Inject
    Sql db;
    @Inject
    SubjectStore subjects;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        Segment segment = new Segment();
        segment.id = ApiKeys.newSecret("seg_").substring(0, 20);
        segment.projectId = projectId;
        apply(segment, body);
        segment.persist();
        return Response.status(201).entity(view(segment)).build();
    }

    @GET
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        List<Segment> all = Segment.list("projectId = ?1 order by createdAt", projectId);
        return all.stream().map(this::view).toList();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return view(find(projectId, id));
    }

    @PUT
    @Path("{id}")
    @Transactional
    public Map<String, Object> update(@PathParam("projectId") String projectId, @PathParam("id") String id, JsonNode body) {
        Segment segment = find(projectId, id);
        apply(segment, body);
        segment.updatedAt = Instant.now();
        return view(segment);
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        find(projectId, id).delete();
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/count")
    public Map<String, Object> count(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        return count(projectId, condition(find(projectId, id)));
    }

    /** The count of a condition not saved yet. */
    @POST
    @Path("preview")
    public Map<String, Object> preview(@PathParam("projectId") String projectId, JsonNode body) {
        JsonNode condition = body == null ? null : body.get("condition");
        check(projectId, condition, null);
        return count(projectId, read(condition));
    }

    @GET
    @Path("{id}/members")
    public Map<String, Object> members(@PathParam("projectId") String projectId, @PathParam("id") String id,
                                       @QueryParam("limit") String limitParam, @QueryParam("cursor") String cursor) {
        int limit = Page.limit(limitParam);
        SegmentSql.Query users = SegmentSql.users(projectId, condition(find(projectId, id)), null, Instant.now(),
                ref -> subjects.segment(projectId, ref));
        String after = cursor == null ? "" : Page.Cursor.decode(cursor).id();
        String sql = "SELECT user_id FROM (" + users.sql() + ") members WHERE user_id > ? ORDER BY user_id COLLATE \"C\" LIMIT ?";
        List<Object> params = new ArrayList<>(users.params());
        params.add(after);
        params.add(limit + 1);
        List<String> members = db.list(sql, rs -> rs.getString(1), params.toArray());
        String next = null;
        if (members.size() > limit) {
            members = members.subList(0, limit);
            next = new Page.Cursor(Instant.EPOCH, members.get(limit - 1)).encode();
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("members", members);
        page.put("nextCursor", next);
        return page;
    }

    private Map<String, Object> count(String projectId, Condition condition) {
        long started = System.nanoTime();
        long count = subjects.queryLong(SegmentSql.users(projectId, condition, null, Instant.now(),
                ref -> subjects.segment(projectId, ref)).count());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", count);
        result.put("tookMs", (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private void apply(Segment segment, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("a segment must be a JSON object", List.of(new ApiError.Detail("", "expected {\"name\", \"condition\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            problems.add(new ApiError.Detail("name", "is required"));
        }
        problems.addAll(problems(segment.projectId, body.get("condition"), segment.id));
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the segment", problems);
        }
        segment.name = name.asText();
        segment.condition = body.get("condition").toString();
    }

    private void check(String projectId, JsonNode condition, String selfId) {
        List<ApiError.Detail> problems = problems(projectId, condition, selfId);
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the condition", problems);
        }
    }

    /** The language's checks, and segments it refers to must exist (and not be itself). */
    private List<ApiError.Detail> problems(String projectId, JsonNode condition, String selfId) {
        List<ApiError.Detail> problems = new ArrayList<>(validator.validateSegment(condition).stream()
                .map(p -> new ApiError.Detail(p.path(), p.message())).toList());
        if (problems.isEmpty()) {
            for (Map.Entry<String, String> ref : JourneyValidator.segmentReferences(condition, "condition").entrySet()) {
                if (ref.getValue().equals(selfId) || Segment.find(projectId, ref.getValue()) == null) {
                    problems.add(new ApiError.Detail(ref.getKey(), "no segment " + ref.getValue() + " in this project"));
                }
            }
        }
        return problems;
    }

    private Segment find(String projectId, String id) {
        Segment segment = Segment.find(projectId, id);
        if (segment == null) {
            throw ApiException.notFound("segment " + id);
        }
        return segment;
    }

    private Condition condition(Segment segment) {
        try {
            return json.readValue(segment.condition, Condition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Condition read(JsonNode condition) {
        try {
            return json.treeToValue(condition, Condition.class);
        } catch (JsonProcessingException e) {
            throw ApiException.unprocessable("the condition is not valid", List.of(new ApiError.Detail("condition", e.getOriginalMessage())));
        }
    }

    private Map<String, Object> view(Segment s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id);
        view.put("name", s.name);
        try {
            view.put("condition", json.readTree(s.condition));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        view.put("createdAt", s.createdAt);
        view.put("updatedAt", s.updatedAt);
        return view;
    }
}
