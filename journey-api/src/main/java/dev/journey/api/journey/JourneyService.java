package dev.journey.api.journey;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.dispatch.PublishedJourneys;
import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.api.error.Json;
import dev.journey.api.project.ApiKeys;
import dev.journey.api.project.ProjectQuota;
import dev.journey.api.retention.LookBack;
import dev.journey.api.template.MessageTemplate;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.segment.SegmentStore;

/** Drafts, validation and the life-cycle of journeys: draft → published (versioned) ⇄ paused → archived. */
@ApplicationScoped
public class JourneyService {
    @Inject
    ObjectMapper json;
    @Inject
    JourneyValidator validator;
    @Inject
    PublishedJourneys published;
    @Inject
    InstanceStore instances;
    @Inject
    JourneyStore store;
    @Inject
    LookBack lookBack;
    @Inject
    ConsentStore consent;
    @Inject
    SegmentStore segments;

    @Transactional
    public JourneyStore.Journey create(String projectId, JsonNode body) {
        ProjectQuota.JOURNEYS.check(store.countIn(projectId));
        JourneyDefinition definition = parse(projectId, body);
        String id = ApiKeys.newSecret("jrn_").substring(0, 20);
        store.create(id, projectId, definition.name(), body.toString());
        return get(projectId, id);
    }

    @Transactional
    public JourneyStore.Journey update(String projectId, String id, JsonNode body) {
        JourneyStore.Journey journey = locked(projectId, id);
        if (journey.status() == JourneyStatus.ARCHIVED) {
            throw new ApiException(409, "conflict", "an archived journey cannot be changed");
        }
        store.saveDraft(id, parse(projectId, body).name(), body.toString());
        return get(projectId, id);
    }

    /** Freezes the draft as the next version; new entries run it, running instances keep theirs. */
    @Transactional
    public JourneyStore.Journey publish(String projectId, String id) {
        JourneyStore.Journey journey = locked(projectId, id);
        if (journey.status() == JourneyStatus.ARCHIVED) {
            throw new ApiException(409, "conflict", "an archived journey cannot be published");
        }
        JourneyDefinition definition = parse(projectId, readTree(journey.definitionJson()));
        store.publish(id, definition.trigger().eventType());
        published.changed(projectId);
        return get(projectId, id);
    }

    @Transactional
    public JourneyStore.Journey setStatus(String projectId, String id, JourneyStatus from, JourneyStatus to) {
        JourneyStore.Journey journey = locked(projectId, id);
        if (from != null && from != journey.status()) {
            throw new ApiException(409, "conflict", "the journey is " + journey.status() + ", not " + from);
        }
        store.setStatus(id, to);
        published.changed(projectId);
        return get(projectId, id);
    }

    /** A journey with users inside cannot be deleted: archive it first (that ends their instances). */
    @Transactional
    public void delete(String projectId, String id) {
        locked(projectId, id);
        if (!activeInstances(id).isEmpty()) {
            throw new ApiException(409, "conflict", "users are still in this journey; archive it first");
        }
        store.delete(id);
        published.changed(projectId);
    }

    public List<String> activeInstances(String journeyId) {
        return instances.activeWorkflowIds(journeyId);
    }

    public JourneyStore.Journey get(String projectId, String id) {
        return store.find(projectId, id).orElseThrow(() -> ApiException.notFound("journey " + id));
    }

    public List<JourneyStore.Journey> list(String projectId) {
        return store.list(projectId);
    }

    private JourneyStore.Journey locked(String projectId, String id) {
        return store.lock(projectId, id).orElseThrow(() -> ApiException.notFound("journey " + id));
    }

    /** The journey's draft, as stored (published or not). */
    public JourneyDefinition draft(String projectId, String id) {
        return parse(projectId, readTree(get(projectId, id).definitionJson()));
    }

    /**
     * A definition given in a request under {@code field} (a dry run of an unsaved draft): checked as
     * a save checks it, each problem's path starting with the field.
     */
    public JourneyDefinition unsaved(String projectId, JsonNode definition, String field) {
        return parse(projectId, definition, field);
    }

    private JourneyDefinition parse(String projectId, JsonNode body) {
        return parse(projectId, body, "");
    }

    /** Validates a definition as JSON (422 listing every problem with its path, under {@code at} when given), then reads it. */
    private JourneyDefinition parse(String projectId, JsonNode body, String at) {
        List<ApiError.Detail> problems = validator.validate(body).stream()
                .map(p -> new ApiError.Detail(under(at, p.path()), p.message())).toList();
        if (!problems.isEmpty()) {
            throw ApiException.unprocessable(problems.size() + (problems.size() == 1 ? " problem" : " problems")
                    + " in the journey", problems);
        }
        List<ApiError.Detail> tooLong = lookBack.beyondRetention(projectId, body, at);
        if (!tooLong.isEmpty()) {
            throw ApiException.unprocessable("the journey counts events further back than the project keeps them", tooLong);
        }
        List<ApiError.Detail> unknown = new java.util.ArrayList<>();
        segmentIds(projectId, body, at, unknown);
        if (!unknown.isEmpty()) {
            throw ApiException.unprocessable("the journey refers to segments or templates that do not exist", unknown);
        }
        try {
            return json.treeToValue(body, JourneyDefinition.class);
        } catch (JsonMappingException e) {
            throw ApiException.unprocessable("the journey is not valid", List.of(new ApiError.Detail(under(at, Json.path(e)), Json.problem(e))));
        } catch (JsonProcessingException e) {
            throw ApiException.unprocessable("the journey is not valid", List.of(new ApiError.Detail(at, Json.problem(e))));
        }
    }

    /** {@code path} inside the field {@code at} ("" for the body itself). */
    private static String under(String at, String path) {
        if (at.isEmpty() || path.isEmpty()) {
            return at.isEmpty() ? path : at;
        }
        return path.startsWith("[") ? at + path : at + "." + path;
    }

    /** Every "segment", "templateId" and "topic" in the definition must name one of the project's. */
    private void segmentIds(String projectId, JsonNode node, String path, List<ApiError.Detail> unknown) {
        if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                String at = path.isEmpty() ? f.getKey() : path + "." + f.getKey();
                if (f.getKey().equals("segment") && f.getValue().isTextual()) {
                    if (segments.find(projectId, f.getValue().asText()).isEmpty()) {
                        unknown.add(new ApiError.Detail(at, "no segment " + f.getValue().asText() + " in this project"));
                    }
                } else if (f.getKey().equals("topic") && f.getValue().isTextual()) {
                    if (consent.topic(projectId, f.getValue().asText()).isEmpty()) {
                        unknown.add(new ApiError.Detail(at, "no topic " + f.getValue().asText() + " in this project"));
                    }
                } else if (f.getKey().equals("templateId") && f.getValue().isTextual()) {
                    if (MessageTemplate.find("id = ?1 and projectId = ?2", f.getValue().asText(), projectId).firstResult() == null) {
                        unknown.add(new ApiError.Detail(at, "no template " + f.getValue().asText() + " in this project"));
                    }
                } else {
                    segmentIds(projectId, f.getValue(), at, unknown);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                segmentIds(projectId, node.get(i), path + "[" + i + "]", unknown);
            }
        }
    }

    private JsonNode readTree(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
