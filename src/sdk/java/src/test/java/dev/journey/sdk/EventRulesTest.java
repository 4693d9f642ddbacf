package dev.journey.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The engine's EventValidator rules, met here: each refusal names the field the engine's detail path would. */
class EventRulesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void everySeedDataTypeIsAcceptedAndTimesBecomeIsoStringsWithAnOffset() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("s", "text");
        data.put("i", 42);
        data.put("l", 1L << 40);
        data.put("d", 9.99);
        data.put("big", new BigDecimal("12345678901234567890.5"));
        data.put("b", true);
        data.put("none", null);
        data.put("at", Instant.parse("2024-04-19T05:23:56Z"));
        data.put("odt", OffsetDateTime.parse("2024-04-19T14:23:56+09:00"));
        data.put("zdt", ZonedDateTime.of(2024, 4, 19, 14, 23, 56, 0, ZoneId.of("Asia/Seoul")));
        data.put("tags", List.of("a", "b"));
        data.put("scores", new int[] {1, 2, 3});
        data.put("mixedNumbers", List.of(1, 2.5));
        data.put("empty", List.of());
        Map<String, Object> clean = EventRules.data(data, JSON);
        assertEquals("2024-04-19T05:23:56Z", clean.get("at"));
        assertEquals("2024-04-19T14:23:56+09:00", clean.get("odt"));
        assertEquals("2024-04-19T14:23:56+09:00", clean.get("zdt"));
        assertEquals(List.of(1, 2, 3), clean.get("scores"));
        assertTrue(clean.containsKey("none"));
        assertEquals(Map.of(), EventRules.data(null, JSON));
    }

    @Test
    void whatTheEngineRefusesIsRefusedHereWithItsPath() {
        refused("data.nested: nested objects are not allowed", Map.of("nested", Map.of("a", 1)));
        refused("data.mixed: array elements must be all strings or all numbers", Map.of("mixed", List.of("a", 1)));
        refused("data.withNull: array elements must be all strings or all numbers", Map.of("withNull", Arrays.asList("a", null)));
        refused("data.bools: array elements must be all strings or all numbers", Map.of("bools", List.of(true)));
        refused("data.inf: must be a number within the range of a double", Map.of("inf", Double.POSITIVE_INFINITY));
        refused("data.nan[1]: must be a number within the range of a double", Map.of("nan", List.of(1.0, Double.NaN)));
        refused("data.nul: must not contain the NUL character", Map.of("nul", "a\u0000b"));
        refused("data.list[0]: must not contain the NUL character", Map.of("list", List.of("\u0000")));
        refused("data.: keys must not be empty", Map.of("", 1));
        refused("data.obj: a java.lang.Object is not a valid value", Map.of("obj", new Object()));
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= EventRules.MAX_DATA_KEYS; i++) {
            many.put("k" + i, i);
        }
        refused("data: has 101 keys; at most 100 are allowed", many);
        refused("data: is 32778 characters as JSON; an event's data may hold at most 32768",
                Map.of("big", "x".repeat(EventRules.MAX_DATA_CHARS)));
        Map<String, Object> justFits = Map.of("big", "x".repeat(EventRules.MAX_DATA_CHARS - 10));
        assertEquals(EventRules.MAX_DATA_CHARS, "{\"big\":\"\"}".length() + EventRules.MAX_DATA_CHARS - 10);
        EventRules.data(justFits, JSON);
    }

    @Test
    void typesIdsAndPlatformsFollowTheApisLengthsAndReservedNames() {
        EventRules.type("test_event");
        EventRules.type("x".repeat(128));
        assertMessage("type: must be 1 to 128 characters long", () -> EventRules.type("x".repeat(129)));
        assertMessage("type: must be 1 to 128 characters long", () -> EventRules.type(""));
        assertMessage("type: is required", () -> EventRules.type(null));
        assertMessage("type: names starting with '@' are reserved", () -> EventRules.type("@first_session"));
        assertMessage("userId: must be 1 to 256 characters long", () -> EventRules.text("userId", "u".repeat(257), 256));
        assertMessage("platform: must be one of ios, android, web", () -> EventRules.platform("windows"));
        assertMessage("tags: must hold at least one tag", () -> EventRules.tags(Collections.emptyMap()));
        assertMessage("tags.plan: nested objects are not allowed", () -> EventRules.tags(Map.of("plan", Map.of())));
        assertEquals(Collections.singletonMap("gone", null), EventRules.tags(Collections.singletonMap("gone", null)));
    }

    private static void refused(String message, Map<String, ?> data) {
        assertMessage(message, () -> EventRules.data(data, JSON));
    }

    private static void assertMessage(String start, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().startsWith(start), () -> "expected \"" + start + "…\", got \"" + e.getMessage() + "\"");
    }
}
