package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.dsl.Problem;

/** Delivery settings: checked with their paths, stored as the API always answered them, and the link secret PostgreSQL makes. */
class DeliverySettingsStoreTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Sql sql = TestDatabase.sql();
    private final DeliverySettingsStore store = new DeliverySettingsStore(sql);

    @Test
    void settingsAreStoredWholeAndReadBackTyped() throws Exception {
        String project = project();
        assertEquals(DeliverySettings.NONE, store.get(project));
        assertTrue(store.linkSecret(project).isEmpty());

        List<Problem> problems = new ArrayList<>();
        DeliverySettings settings = DeliverySettings.parse(JSON.readTree("""
                {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}],
                 "quietHours": {"start": "21:00", "end": "08:00"}, "clickTracking": {"baseUrl": "https://t.example.com"}}"""), problems);
        assertTrue(problems.isEmpty(), problems.toString());
        store.put(project, settings);

        DeliverySettings read = store.get(project);
        assertEquals(settings, read);
        assertEquals(Duration.ofDays(1), read.caps().get(0).window());
        assertEquals(new DeliverySettings.QuietHours(LocalTime.of(21, 0), LocalTime.of(8, 0), List.of("push", "sms", "email")), read.quietHours());
        assertEquals(JSON.readTree("""
                {"frequencyCaps": [{"channel": "push", "limit": 3, "period": "P1D"}],
                 "quietHours": {"start": "21:00", "end": "08:00", "channels": ["push", "sms", "email"]},
                 "clickTracking": {"baseUrl": "https://t.example.com", "opens": true}}"""),
                JSON.readTree(sql.first("SELECT settings::text FROM delivery_settings WHERE project_id = ?", rs -> rs.getString(1), project).orElseThrow()));
        String secret = store.linkSecret(project).orElseThrow();
        assertTrue(secret.matches("[0-9a-f]{64}"), secret);

        store.put(project, DeliverySettings.fromJson(JSON.readTree("{\"frequencyCaps\": []}")));
        assertEquals(List.of(), store.get(project).frequencyCaps(), "an empty list of caps is kept as set");
        assertNull(store.get(project).quietHours());
        assertEquals("{\"frequencyCaps\":[]}", store.get(project).toJson().toString());
        assertEquals(secret, store.linkSecret(project).orElseThrow(), "replacing the settings keeps the link secret");

        DeliverySettings noOpens = DeliverySettings.fromJson(JSON.readTree("{\"clickTracking\": {\"baseUrl\": \"https://t.example.com\", \"opens\": false}}"));
        assertEquals("https://t.example.com", noOpens.clickBaseUrl());
        assertNull(noOpens.openBaseUrl(), "clicks tracked, opens not");
        assertEquals("https://t.example.com", settings.openBaseUrl(), "opens are tracked with clicks unless said otherwise");
    }

    @Test
    void everyProblemIsNamedWithItsPath() throws Exception {
        List<Problem> problems = new ArrayList<>();
        DeliverySettings.parse(JSON.readTree("""
                {"frequencyCaps": [{"channel": "pigeon", "limit": -1, "period": "P1M"}],
                 "quietHours": {"start": "25:00", "end": "08:00", "channels": ["fax"]}, "clickTracking": {"baseUrl": "nope", "opens": "yes"},
                 "colour": "red"}"""),
                problems);
        assertEquals(List.of("colour", "frequencyCaps[0].channel", "frequencyCaps[0].limit", "frequencyCaps[0].period", "quietHours.start",
                "quietHours.channels[0]", "clickTracking.baseUrl", "clickTracking.opens"), problems.stream().map(Problem::path).toList());
        assertEquals("must be \"all\" or one of [webhook, email, push, sms, inapp]", problems.get(1).message());
    }

    @Test
    void capsAreBoundedInPeriodLimitAndNumber() throws Exception {
        List<Problem> problems = new ArrayList<>();
        DeliverySettings.parse(JSON.readTree("""
                {"frequencyCaps": [{"channel": "all", "limit": 3, "period": "P91D"},
                                   {"channel": "push", "limit": 100000000000000000000, "period": "PT9999999999999H"},
                                   {"channel": "sms", "limit": 2, "period": "P90D"}]}"""), problems);
        assertEquals(List.of("frequencyCaps[0].period", "frequencyCaps[1].limit", "frequencyCaps[1].period"),
                problems.stream().map(Problem::path).toList());
        List<Problem> tooMany = new ArrayList<>();
        DeliverySettings.parse(JSON.readTree("{\"frequencyCaps\": [" + String.join(",", java.util.Collections.nCopies(
                DeliverySettings.MAX_CAPS + 1, "{\"channel\": \"all\", \"limit\": 1, \"period\": \"P1D\"}")) + "]}"), tooMany);
        assertEquals(List.of("frequencyCaps"), tooMany.stream().map(Problem::path).toList());
    }

    private String project() {
        String id = "p_" + UUID.randomUUID();
        sql.update("INSERT INTO project (id, name) VALUES (?, ?)", id, "settings");
        return id;
    }
}
