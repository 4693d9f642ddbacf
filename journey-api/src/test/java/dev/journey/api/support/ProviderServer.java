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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback standing in for a provider (FCM, APNs, Twilio, a slow webhook):
 * records method, path, headers and body of every request, and answers with scripted replies —
 * a status, a body, and optionally a delay before answering (a lost answer, as the sender sees it).
 * Several threads, so a slow answer does not hold up the next request.
 */
public class ProviderServer implements AutoCloseable {
    public record Request(String method, String path, Map<String, List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    public record Reply(int status, String body, Duration delay) {}

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private final BlockingQueue<Request> received = new LinkedBlockingQueue<>();
    private final List<Request> all = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Reply> scripted = new ConcurrentLinkedQueue<>();
    private volatile Reply otherwise;

    public ProviderServer(int status, String body) throws IOException {
        otherwise = new Reply(status, body, Duration.ZERO);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(threads);
        server.createContext("/", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                    Map.copyOf(exchange.getRequestHeaders()), new String(in, StandardCharsets.UTF_8));
            // Listed before it is handed to next(): whoever saw it arrive also finds it in all().
            all.add(request);
            received.add(request);
            Reply reply = scripted.poll();
            if (reply == null) {
                reply = otherwise;
            }
            if (!reply.delay().isZero()) {
                try {
                    Thread.sleep(reply.delay().toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(reply.status(), out.length);
                try (OutputStream os = exchange.getResponseBody()) {
                    os.write(out);
                }
            } catch (IOException gone) {
                // The sender gave up waiting (a timeout under test): nothing to answer to.
            }
        });
        server.start();
    }

    /** The next requests get these replies, in order; after them, the default one. */
    public ProviderServer then(int status, String body, Duration delay) {
        scripted.add(new Reply(status, body, delay));
        return this;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every request received so far, in order of arrival (next() does not remove from it). */
    public List<Request> all() {
        return List.copyOf(all);
    }

    public Request next(Duration timeout) throws InterruptedException {
        return received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
