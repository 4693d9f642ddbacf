package dev.journey.api.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Dispatch without loss and without repeats: an event committed but never dispatched (the process
 * died between the commit and the start) is picked up by the dispatcher's own polling, and an
 * event dispatched twice starts one instance.
 */
@QuarkusTest
class DispatchRecoveryTest {
    @Inject
    AgroalDataSource db;

    private TestProject project;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        project = TestProject.create("Recovery");
        receiver = new WebhookReceiver();
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", TrackToWebhookTest.SECRET))
                .post(project.path("/channels")).then().statusCode(201);
        String id = project.api().body("""
                {"name": "Thanks", "trigger": {"event": "purchase"},
                 "steps": [{"id": "thanks", "type": "message", "channel": "webhook",
                            "template": {"body": "Thanks for << entry_event.data.productName >>"}, "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    /** What a crash right after the track commit leaves behind: the event and its outbox row, nobody woken. */
    private long insertUndispatchedEvent() throws Exception {
        return insertUndispatchedEvent("crash-user", "Lamp");
    }

    private long insertUndispatchedEvent(String subjectId, String productName) throws Exception {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            long id;
            try (PreparedStatement st = c.prepareStatement("INSERT INTO event (project_id, subject_type, subject_id, type, data,"
                    + " occurred_at) VALUES (?, 'user', ?, 'purchase', jsonb_build_object('productName', ?::text), now()) RETURNING id")) {
                st.setString(1, project.id());
                st.setString(2, subjectId);
                st.setString(3, productName);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    id = rs.getLong(1);
                }
            }
            // Its outbox row, as the track API writes it: one arrival row for the statement's events.
            try (PreparedStatement st = c.prepareStatement("INSERT INTO dispatch_arrival (event_ids, events) VALUES (ARRAY[?::bigint], 1)")) {
                st.setLong(1, id);
                st.executeUpdate();
            }
            c.commit();
            return id;
        }
    }

    private int count(String sql, long eventId) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, eventId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void anEventLeftUndispatchedIsPickedUpWithoutAWakeUp() throws Exception {
        long eventId = insertUndispatchedEvent();
        WebhookReceiver.Received webhook = receiver.next(Duration.ofSeconds(10));
        assertNotNull(webhook, "the dispatcher's polling found the event");
        assertEquals(true, webhook.body().contains("Thanks for Lamp"));
        assertEquals(0, count("SELECT count(*) FROM dispatch_pending WHERE event_id = ?", eventId));
        assertEquals(1, count("SELECT count(*) FROM journey_instance WHERE entry_event_id = ?", eventId));
    }

    @Test
    void dispatchingTheSameEventAgainStartsNoSecondInstance() throws Exception {
        long eventId = insertUndispatchedEvent();
        assertNotNull(receiver.next(Duration.ofSeconds(10)));
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement("INSERT INTO dispatch_outbox (event_id) VALUES (?)")) {
            st.setLong(1, eventId);
            st.executeUpdate();
        }
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() ->
                assertEquals(0, count("SELECT count(*) FROM dispatch_pending WHERE event_id = ?", eventId), "outbox rows left: not redispatched"));
        assertNull(receiver.next(Duration.ofMillis(500)), "no second message");
        assertEquals(1, count("SELECT count(*) FROM journey_instance WHERE entry_event_id = ?", eventId));

        // The barrier: another event left undispatched after the repeat goes the same way and must arrive,
        // so the dispatcher that saw the repeat was running.
        long later = insertUndispatchedEvent("later-user", "Desk");
        WebhookReceiver.Received barrier = receiver.next(Duration.ofSeconds(10));
        assertNotNull(barrier, "the later event was not dispatched");
        assertTrue(barrier.body().contains("Thanks for Desk"), barrier.body());
        assertEquals(1, count("SELECT count(*) FROM journey_instance WHERE entry_event_id = ?", later));
        assertEquals(1, count("SELECT count(*) FROM journey_instance WHERE entry_event_id = ?", eventId), "still one instance");
        assertEquals(2, receiver.all().size(), "one message per event");
    }
}
