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
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.access.ProjectKey;
import dev.journey.api.paging.PagedList;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.Json;
import dev.journey.api.error.NoNul;
import dev.journey.api.paging.Page;
import dev.journey.api.project.ApiKeys;
import dev.journey.api.project.ProjectQuota;
import dev.journey.api.retention.LookBack;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.segment.SegmentStore;

/** Segments: definitions, and their count and members computed in PostgreSQL from one compiled query. */
@NoNul
@ProjectKey
@Path("/v1/projects/{projectId}/segments")
public class SegmentResource {
    @Inject
    JourneyValidator validator;
    @Inject
    ObjectMapper json;
    @Inject
    SegmentStore segments;
    @Inject
    LookBack lookBack;

    @POST
    @Transactional
    public Response create(@PathParam("projectId") String projectId, JsonNode body) {
        ProjectQuota.SEGMENTS.check(segments.countIn(projectId));
        String id = ApiKeys.newSecret("seg_").substring(0, 20);
        String name = valid(projectId, id, body);
        segments.create(id, projectId, name, body.get("condition").toString());
        return Response.status(201).entity(view(find(projectId, id))).build();
    }

    @GET
    @PagedList
    public List<Map<String, Object>> list(@PathParam("projectId") String projectId) {
        return segments.list(projectId).stream().map(this::view).toList();
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
        find(projectId, id);
        segments.update(id, valid(projectId, id, body), body.get("condition").toString());
        return view(find(projectId, id));
    }

    @DELETE
    @Path("{id}")
    @Transactional
    public Response delete(@PathParam("projectId") String projectId, @PathParam("id") String id) {
        segments.delete(find(projectId, id).id());
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
        String after = cursor == null ? "" : Page.Cursor.decode(cursor).id();
        Condition condition = condition(find(projectId, id));
        List<String> members = withinTimeout(() -> segments.members(projectId, condition, after, limit + 1));
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
        long count = withinTimeout(() -> segments.count(projectId, condition));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("count", count);
        result.put("tookMs", (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    /** A segment whose evaluation runs past its timeout is a condition to narrow, not a failure of ours. */
    private static <T> T withinTimeout(java.util.function.Supplier<T> query) {
        try {
            return query.get();
        } catch (SqlFailure e) {
            if (!e.timedOut()) {
                throw e;
            }
            throw ApiException.unprocessable("the segment took too long to evaluate", List.of(new ApiError.Detail("condition",
                    "evaluating it took longer than " + SegmentStore.WHOLE_SEGMENT_TIMEOUT.toSeconds()
                            + " s; narrow it (a shorter period, fewer or more selective events)")));
        }
    }

    /** Checks a segment's body (422 with every problem) and returns its name. */
    private String valid(String projectId, String id, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.unprocessable("a segment must be a JSON object", List.of(new ApiError.Detail("", "expected {\"name\", \"condition\"}")));
        }
        List<ApiError.Detail> problems = new ArrayList<>();
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            problems.add(new ApiError.Detail("name", "is required"));
        }
        problems.addAll(problems(projectId, body.get("condition"), id));
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the segment", problems);
        }
        return name.asText();
    }

    private void check(String projectId, JsonNode condition, String selfId) {
        List<ApiError.Detail> problems = problems(projectId, condition, selfId);
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " in the condition", problems);
        }
    }

    /** The language's checks; segments it refers to must exist, not be itself, and not lead back to it or nest too deep. */
    private List<ApiError.Detail> problems(String projectId, JsonNode condition, String selfId) {
        List<ApiError.Detail> problems = new ArrayList<>(validator.validateSegment(condition).stream()
                .map(p -> new ApiError.Detail(p.path(), p.message())).toList());
        if (problems.isEmpty()) {
            for (Map.Entry<String, String> ref : JourneyValidator.segmentReferences(condition, "condition").entrySet()) {
                if (ref.getValue().equals(selfId) || segments.find(projectId, ref.getValue()).isEmpty()) {
                    problems.add(new ApiError.Detail(ref.getKey(), "no segment " + ref.getValue() + " in this project"));
                }
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(lookBack.beyondRetention(projectId, condition, "condition"));
        }
        if (problems.isEmpty()) {
            String references = segments.referenceProblem(projectId, selfId, read(condition));
            if (references != null) {
                problems.add(new ApiError.Detail("condition", references));
            }
        }
        return problems;
    }

    private SegmentStore.Segment find(String projectId, String id) {
        return segments.find(projectId, id).orElseThrow(() -> ApiException.notFound("segment " + id));
    }

    private Condition condition(SegmentStore.Segment segment) {
        try {
            return json.readValue(segment.conditionJson(), Condition.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Condition read(JsonNode condition) {
        try {
            return json.treeToValue(condition, Condition.class);
        } catch (JsonProcessingException e) {
            String at = e instanceof JsonMappingException m && !Json.path(m).isEmpty()
                    ? "condition" + (Json.path(m).startsWith("[") ? "" : ".") + Json.path(m) : "condition";
            throw ApiException.unprocessable("the condition is not valid", List.of(new ApiError.Detail(at, Json.problem(e))));
        }
    }

    private Map<String, Object> view(SegmentStore.Segment s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", s.id());
        view.put("name", s.name());
        try {
            view.put("condition", json.readTree(s.conditionJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        view.put("createdAt", s.createdAt());
        view.put("updatedAt", s.updatedAt());
        return view;
    }
}
