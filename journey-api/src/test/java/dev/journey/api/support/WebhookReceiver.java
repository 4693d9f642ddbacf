package dev.journey.api.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/** A real HTTP server on loopback that records every webhook and answers with the statuses it is told to. */
public class WebhookReceiver implements AutoCloseable {
    public record Received(String body, Map<String, List<String>> headers, long receivedAtNanos) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Integer> scriptedStatuses = new ConcurrentLinkedQueue<>();
    private final List<Received> all = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile Duration answerDelay = Duration.ZERO;
    private volatile java.util.concurrent.CountDownLatch held;

    public WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        // Many senders at once (bursts, a slow receiver): one thread per request up to a bound.
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(64));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Received r = new Received(new String(body, StandardCharsets.UTF_8), Map.copyOf(exchange.getRequestHeaders()), System.nanoTime());
            // Listed before it is handed to next(): whoever saw it arrive also finds it in all().
            all.add(r);
            received.add(r);
            java.util.concurrent.CountDownLatch hold = held;
            if (hold != null) {
                // A send under way for as long as the test wants (released by releaseAnswers, or after a minute).
                try {
                    hold.await(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!answerDelay.isZero()) {
                // A slow receiver: the request is in, the answer comes late (a crash in between is a send in flight).
                try {
                    Thread.sleep(answerDelay.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Integer status = scriptedStatuses.poll();
            byte[] answer = (status == null || status < 300 ? "ok" : "nope").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status == null ? 200 : status, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    /** Answers every request this late from now on. */
    public void answerAfter(Duration delay) {
        answerDelay = delay;
    }

    /** Requests from now on get no answer until {@link #releaseAnswers}: their sends stay under way. */
    public void holdAnswers() {
        held = new java.util.concurrent.CountDownLatch(1);
    }

    /** Answers the held requests, and answers at once from now on. */
    public void releaseAnswers() {
        java.util.concurrent.CountDownLatch hold = held;
        held = null;
        if (hold != null) {
            hold.countDown();
        }
    }

    /** Every request received so far, in order of arrival (next() does not remove from it). */
    public List<Received> all() {
        return List.copyOf(all);
    }

    /** The next requests get these statuses, in order; after them, 200. */
    public void answer(Integer... statuses) {
        scriptedStatuses.addAll(List.of(statuses));
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    public Received next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        releaseAnswers();
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
