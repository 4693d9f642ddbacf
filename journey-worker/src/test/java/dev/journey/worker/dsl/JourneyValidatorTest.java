package dev.journey.worker.dsl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;

class JourneyValidatorTest {
    private final JourneyValidator validator = new JourneyValidator(new TemplateRenderer());
    private final ObjectMapper json = new ObjectMapper();

    private List<Problem> problems(String definition) throws Exception {
        return validator.validate(json.readValue(definition, JourneyDefinition.class));
    }

    @Test
    void aGoodJourneyHasNoProblems() throws Exception {
        assertEquals(List.of(), problems("""
                {"name": "Thanks", "trigger": {"event": "purchase", "where": {"path": "data.amount", "op": "gte", "value": 5000}},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "Hi << entry_event.data.x >>"}, "next": "b"},
                           {"id": "b", "type": "wait", "duration": "P3D", "next": null}]}"""));
    }

    @Test
    void everyProblemIsListedWithItsPath() throws Exception {
        List<Problem> found = problems("""
                {"name": "", "trigger": {},
                 "steps": [{"id": "a", "type": "message", "channel": "fax", "template": {"body": "{% if %}"}, "next": "zz"},
                           {"id": "a", "type": "wait", "duration": "3 days", "next": null},
                           {"id": "c", "type": "wait", "duration": "PT0S", "next": null}]}""");
        List<String> paths = found.stream().map(Problem::path).toList();
        assertTrue(paths.containsAll(List.of("name", "trigger.event", "steps[0].channel", "steps[0].template.body",
                "steps[0].next", "steps[1].id", "steps[1].duration", "steps[2].duration", "steps[2]")), found.toString());
    }

    @Test
    void aLoopWithoutAWaitIsRejected() throws Exception {
        List<Problem> found = problems("""
                {"name": "Spin", "trigger": {"event": "x"},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "x"}, "next": "b"},
                           {"id": "b", "type": "message", "channel": "webhook", "template": {"body": "y"}, "next": "a"}]}""");
        assertTrue(found.stream().anyMatch(p -> p.message().contains("loop without a wait")), found.toString());
    }
}
