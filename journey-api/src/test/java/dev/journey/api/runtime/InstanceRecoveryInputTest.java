package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.JourneyStatus;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.journey.JourneyInput;

/**
 * What a resumed instance is started with: like a new start, a reference to its version (the
 * workflow reads the version itself), and the state of its checkpoint, visits included.
 */
class InstanceRecoveryInputTest {
    private final InstanceRecovery recovery = new InstanceRecovery();

    private InstanceStore.Active active(String checkpointJson) {
        EntryEvent entry = new EntryEvent(7, "e-7", "signup", "user", "u1", Map.of(), "2026-11-27T10:00:00Z");
        // No event types to listen to: nothing missed to look up.
        return new InstanceStore.Active("journey/j1/user/u1/7", "p1", "j1", 3, checkpointJson, List.of(), JourneyStatus.PUBLISHED, entry);
    }

    @Test
    void aResumedInstanceCarriesAReferenceToItsVersionAndTheVisitsOfItsCheckpoint() {
        recovery.json = new ObjectMapper();
        JourneyInput input = recovery.input(active("""
                {"stepId": "nudge", "wakeAtMillis": null, "seen": [5], "inbox": [], "visits": {"nudge": 1}}"""));

        assertNull(input.journey(), "no definition, no template bodies");
        assertEquals(List.of("p1", "j1", 3), List.of(input.projectId(), input.journeyId(), input.version()));
        assertEquals("nudge", input.state().stepId);
        assertEquals(Map.of("nudge", 1), input.state().visits, "the message is sent under the id of the visit it was in");
        assertEquals(List.of(5L), input.state().seen);
    }

    @Test
    void aCheckpointWrittenBeforeVisitsWereCountedResumesToo() {
        recovery.json = new ObjectMapper();
        JourneyInput input = recovery.input(active("""
                {"stepId": "nudge", "wakeAtMillis": 1796000000000, "seen": [], "inbox": []}"""));
        assertNull(input.journey());
        assertEquals(Map.of(), input.state().visits);
        assertEquals(1796000000000L, input.resume().wakeAtMillis());
    }
}
