package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.journey.worker.db.TestDatabase;

/**
 * What one message costs the database on its way: every statement and commit is a round trip that
 * the hand-off waits for and both processes spend CPU on, for every message of every journey — at
 * a hundred journeys a second, most of what the engine does. A change that adds one shows here.
 */
class HandOffRoundTripsTest {
    private final SendFixture fixture = new SendFixture();
    private final FlakyDataSource db = new FlakyDataSource(TestDatabase.get(), "-- fails nothing");
    private HttpServer receiver;

    @BeforeEach
    void webhook() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        fixture.webhook("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        receiver.stop(0);
    }

    @Test
    void aWebhookMessageIsAdmittedInSevenRoundTripsAndHandedOffInThree() {
        SendMessage m = fixture.message("webhook", Map.of("body", "<< entry_event.type >> for << entry_event.subjectId >>"));
        db.roundTrips();

        assertEquals(MessageStatus.QUEUED, SendFixture.admission(db).admit(m, Instant.now().toEpochMilli()).status());
        // Looked for (a retry finds it), the user for the template, recorded under the message's lock (lock, insert, commit),
        // the project's delivery settings, admitted (no cap counts it: no lock). No quiet hours hold webhooks: no timezone read.
        assertEquals(7, db.roundTrips(), "round trips to admit a message");

        assertEquals(MessageStatus.SENT, SendFixture.activities(db).send(m).status());
        // The channel, the row claimed for this attempt (what to send comes back with the claim), sent.
        assertEquals(3, db.roundTrips(), "round trips to hand a message off");
        assertEquals(new SendFixture.Row(MessageStatus.SENT, 1, null), fixture.row(m.messageId()));
    }
}
