package dev.journey.worker.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.event.InboundEvent;

/** What an instance carries across continue-as-new stays small, and old checkpoints stay readable. */
class JourneyStateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** An event's data at the track API's limit (journey.track.max-event-bytes = 32 KiB). */
    private static final int MAX_EVENT_BYTES = 32 * 1024;

    private static InboundEvent largeEvent(long id) {
        return new InboundEvent(id, "page_viewed", Map.of("html", "x".repeat(MAX_EVENT_BYTES - 20)), "2026-11-27T10:30:00Z");
    }

    @Test
    void theInboxIsBoundedInBytesOldestFirstSoAContinueAsNewInputStaysSmall() throws Exception {
        JourneyState state = new JourneyState("wait");
        for (long id = 1; id <= 100; id++) {
            assertTrue(state.hear(largeEvent(id), true));
        }
        String serialized = JSON.writeValueAsString(state);
        assertTrue(serialized.length() < JourneyState.MAX_INBOX_BYTES + 16 * 1024, "the serialized state: " + serialized.length());
        assertTrue(state.inbox.size() == 7 || state.inbox.size() == 8, "inbox of " + state.inbox.size());
        assertEquals(100, state.inbox.get(state.inbox.size() - 1).id(), "the newest stays");
        assertEquals(100 - state.inbox.size() + 1, state.inbox.get(0).id(), "the oldest went first");
        assertEquals(100, state.seen.size(), "every id is still known, so a redelivery is still ignored");
        assertFalse(state.hear(largeEvent(3), true));
    }

    @Test
    void smallEventsAreStillBoundedByCountAndRunsBeganBeforeTheByteBoundKeepItsAbsence() {
        JourneyState bounded = new JourneyState("wait");
        JourneyState asBefore = new JourneyState("wait");
        for (long id = 1; id <= 150; id++) {
            bounded.hear(new InboundEvent(id, "click", Map.of("n", id), "2026-11-27T10:30:00Z"), true);
            asBefore.hear(largeEvent(id));
        }
        assertEquals(JourneyState.MAX_INBOX, bounded.inbox.size());
        assertEquals(JourneyState.MAX_INBOX, asBefore.inbox.size(), "histories recorded before the bound replay with the same inbox");
    }

    @Test
    void theSizeEstimateDependsOnTheValuesOnlyNotOnTheMapOrder() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("b", List.of(1, 2.5, true));
        data.put("a", "naïve \"quoted\" ✓ 😀");
        data.put("c", Map.of("nested", "x"));
        data.put("d", null);
        Map<String, Object> other = new TreeMap<>(new HashMap<>(data));
        long estimate = InboxSize.json(data);
        assertEquals(estimate, InboxSize.json(other));
        assertEquals(JSON.writeValueAsString(data).getBytes(java.nio.charset.StandardCharsets.UTF_8).length, estimate,
                "the JSON's UTF-8 bytes");
    }

    @Test
    void aCheckpointWrittenBeforeVisitsWereCountedIsReadAndResumesOnFirstVisits() throws Exception {
        Checkpoint old = JSON.readValue("{\"stepId\":\"nudge\",\"wakeAtMillis\":null,\"seen\":[5],\"inbox\":[]}", Checkpoint.class);
        assertNull(old.visits());
        assertEquals(1, JourneyState.resumedFrom(old).visit("nudge"));

        JourneyState state = new JourneyState("nudge");
        state.passed("nudge");
        Checkpoint now = JSON.readValue(JSON.writeValueAsString(state.checkpoint(null)), Checkpoint.class);
        assertEquals(Map.of("nudge", 1), now.visits());
        assertEquals(2, JourneyState.resumedFrom(now).visit("nudge"), "the resumed run is in the same visit");
    }

    @Test
    void aStateWrittenBeforeVisitsWereCountedIsRead() throws Exception {
        JourneyState old = JSON.readValue("{\"stepId\":\"s\",\"inbox\":[],\"seen\":[1],\"endStatus\":null,\"endReason\":null}",
                JourneyState.class);
        assertEquals(1, old.visit("s"));
    }

    @Test
    void fetchedAnswersCrossContinueAsNewAndCheckpointsAndAreBoundedTogether() throws Exception {
        JourneyState state = new JourneyState("profile");
        assertTrue(state.fetched("profile", Map.of("tier", "gold", "tags", List.of("a", "b"))));
        JourneyState next = JSON.readValue(JSON.writeValueAsString(state), JourneyState.class);
        assertEquals(Map.of("profile", Map.of("tier", "gold", "tags", List.of("a", "b"))), next.fetched);
        Checkpoint checkpoint = JSON.readValue(JSON.writeValueAsString(state.checkpoint(null)), Checkpoint.class);
        assertEquals(next.fetched, JourneyState.resumedFrom(checkpoint).fetched);
        // States and checkpoints written before fetch steps have none.
        assertNull(JSON.readValue("{\"stepId\": \"a\"}", JourneyState.class).fetched);
        assertNull(JourneyState.resumedFrom(JSON.readValue("{\"stepId\": \"a\", \"seen\": [], \"inbox\": []}", Checkpoint.class)).fetched);

        // Answers of about 16,000 bytes: four fit in the 64 KiB with the first, a fifth does not; a step's new answer replaces its old one.
        String big = "x".repeat(16_000 - 10);
        for (int i = 1; i <= 4; i++) {
            assertTrue(state.fetched("f" + i, Map.of("v", big)), "answer " + i);
        }
        assertFalse(state.fetched("f5", Map.of("v", big)));
        assertFalse(state.fetched.containsKey("f5"));
        assertTrue(state.fetched("f4", Map.of("v", "small")));
        assertTrue(state.fetched("f5", Map.of("v", big)));
        state.fetchFailed("f5");
        assertFalse(state.fetched.containsKey("f5"));
    }
}
