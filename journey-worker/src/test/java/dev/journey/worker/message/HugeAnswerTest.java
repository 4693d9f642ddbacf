package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import dev.journey.worker.db.TestDatabase;
import io.temporal.failure.ApplicationFailure;

/**
 * A provider that answers with a body far larger than anything worth reading: the send reads a
 * bounded prefix and hangs up, the status alone decides, and the log keeps the status, not the body.
 */
class HugeAnswerTest {
    private static final long HUGE = 50L * 1024 * 1024;
    /** Far below HUGE, and above what loopback socket buffers can take before the client hangs up. */
    private static final long READ_AT_MOST = 16L * 1024 * 1024;

    private final SendFixture fixture = new SendFixture();
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CompletableFuture<Long> written = new CompletableFuture<>();
    private HttpServer receiver;

    @AfterEach
    void stop() {
        if (receiver != null) {
            receiver.stop(0);
        }
        threads.shutdownNow();
    }

    @Test
    void aHugeErrorAnswerIsNotReadWholeAndTheLogKeepsOnlyTheStatus() throws Exception {
        fixture.webhook(hugeAnswer(503));
        SendMessage m = fixture.message("webhook", Map.of("body", "thanks"));

        ApplicationFailure retry = assertThrows(ApplicationFailure.class, () -> SendFixture.activities(TestDatabase.get()).send(m));
        assertEquals(MessageActivitiesImpl.RETRYABLE, retry.getType());

        long bytes = written.get(20, TimeUnit.SECONDS);
        assertTrue(bytes < READ_AT_MOST, "the receiver wrote " + bytes + " bytes before the sender hung up");
        SendFixture.Row row = fixture.row(m.messageId());
        assertEquals(MessageStatus.QUEUED, row.status());
        assertEquals("HTTP 503 from the webhook", row.error(), "what a receiver answers stays out of the log");
    }

    @Test
    void aHugeSuccessAnswerIsNotReadWholeAndTheStatusDecides() throws Exception {
        fixture.webhook(hugeAnswer(200));
        SendMessage m = fixture.message("webhook", Map.of("body", "thanks"));

        assertEquals(MessageStatus.SENT, SendFixture.activities(TestDatabase.get()).send(m).status());
        long bytes = written.get(20, TimeUnit.SECONDS);
        assertTrue(bytes < READ_AT_MOST, "the receiver wrote " + bytes + " bytes before the sender hung up");
    }

    /** A receiver answering {@code status} with HUGE bytes of 'x', streamed; {@link #written} is what it got out. */
    private String hugeAnswer(int status) throws IOException {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.setExecutor(threads);
        receiver.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'x');
            long sent = 0;
            try (exchange) {
                exchange.sendResponseHeaders(status, HUGE);
                OutputStream out = exchange.getResponseBody();
                while (sent < HUGE) {
                    out.write(chunk);
                    sent += chunk.length;
                }
            } catch (IOException hungUp) {
                // the sender stopped reading: what was written so far is the measure
            } finally {
                written.complete(sent);
            }
        });
        receiver.start();
        return "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
    }
}
