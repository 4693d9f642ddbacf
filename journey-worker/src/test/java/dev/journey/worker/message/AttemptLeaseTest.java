package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.journey.worker.db.TestDatabase;
import io.temporal.failure.ApplicationFailure;

/**
 * Attempts of one message that overlap, as when Temporal starts a retry while a timed-out attempt
 * is still at the provider: only the attempt holding the row's lease calls the provider.
 */
class AttemptLeaseTest {
    private final SendFixture fixture = new SendFixture();
    private final List<String> keys = new CopyOnWriteArrayList<>();
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private HttpServer receiver;

    /** A webhook receiver that holds its first request until released, and answers later ones at once. */
    @BeforeEach
    void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(threads);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            keys.add(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            if (keys.size() == 1) {
                arrived.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
            try (exchange) {
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            } catch (IOException gone) {
                // the sender stopped waiting
            }
        });
        receiver.start();
        fixture.webhook("http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook");
    }

    @AfterEach
    void stop() {
        release.countDown();
        receiver.stop(0);
        threads.shutdownNow();
    }

    @Test
    void aSecondAttemptWhileTheFirstIsAtTheProviderSendsNothingAndFailsRetryably() throws Exception {
        MessageActivitiesImpl activities = SendFixture.activities(TestDatabase.get());
        SendMessage m = fixture.message("webhook", Map.of("body", "thanks"));

        CompletableFuture<MessageOutcome> first = CompletableFuture.supplyAsync(() -> activities.send(m), threads);
        assertTrue(arrived.await(20, TimeUnit.SECONDS), "the first attempt never reached the receiver");

        ApplicationFailure refused = assertThrows(ApplicationFailure.class, () -> activities.send(m));
        assertEquals(MessageActivitiesImpl.RETRYABLE, refused.getType());
        assertEquals(1, keys.size(), "the second attempt did not call the provider");
        assertEquals(MessageStatus.QUEUED, fixture.row(m.messageId()).status());

        release.countDown();
        assertEquals(MessageStatus.SENT, first.get(20, TimeUnit.SECONDS).status());
        assertEquals(new SendFixture.Row(MessageStatus.SENT, 1, null), fixture.row(m.messageId()));

        assertEquals(MessageStatus.SENT, activities.send(m).status(), "a later attempt finds the message sent");
        assertEquals(List.of(m.messageId()), keys, "one request, carrying the message id");
    }

    @Test
    void anAttemptCutByItsDeadlineGivesItsLeaseBackAndTheNextAttemptGoesAhead() throws Exception {
        MessageActivitiesImpl activities = SendFixture.activities(TestDatabase.get(), Duration.ofSeconds(1));
        SendMessage m = fixture.message("webhook", Map.of("body", "thanks"));

        long start = System.nanoTime();
        ApplicationFailure cut = assertThrows(ApplicationFailure.class, () -> activities.send(m));
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(MessageActivitiesImpl.RETRYABLE, cut.getType());
        assertTrue(took.compareTo(Duration.ofMillis(2500)) < 0, "the attempt took " + took.toMillis() + " ms");
        assertEquals(MessageStatus.QUEUED, fixture.row(m.messageId()).status());

        // The first request is still held by the receiver; the next attempt need not wait for the lease to run out.
        assertEquals(MessageStatus.SENT, activities.send(m).status());
        assertEquals(List.of(m.messageId(), m.messageId()), keys, "the repeat carries the same key");
        assertEquals(2, fixture.row(m.messageId()).attempts());
    }
}
