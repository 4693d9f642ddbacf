import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load for the track API: N client threads POST batches for a fixed time and count what was
 * acknowledged (202). Run with a JDK only:
 *
 *   java src/load/TrackLoad.java --url http://localhost:8080 --project demo --key jk_... \
 *        --batch 100 --threads 4 --seconds 20
 *
 * Prints events/s, requests/s and request latency percentiles. Loopback only; bounded in time.
 * Each thread keeps one HTTP/1.1 connection and speaks to it directly: the JDK's HttpClient costs
 * more CPU per request than the server does, and the two share this machine's cores.
 */
public class TrackLoad {
    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        String url = opt.getOrDefault("url", "http://localhost:8080");
        String project = opt.getOrDefault("project", "demo");
        String key = opt.get("key");
        int batch = Integer.parseInt(opt.getOrDefault("batch", "100"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "4"));
        int seconds = Integer.parseInt(opt.getOrDefault("seconds", "20"));
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "5"));
        String type = opt.getOrDefault("type", "load_test");
        // --event-ids true: every event carries a unique eventId, as the SDKs send (claimed in event_key since V22).
        eventIds = Boolean.parseBoolean(opt.getOrDefault("event-ids", "false"));
        if (key == null) {
            System.err.println("--key is required (the API key printed at start-up)");
            System.exit(2);
        }
        URI target = URI.create(url + "/v1/projects/" + project + "/track");
        if (!List.of("localhost", "127.0.0.1", "[::1]").contains(target.getHost())) {
            System.err.println("refusing to load a non-loopback host: " + target.getHost());
            System.exit(2);
        }
        run(target, key, batch, threads, warmup, type);
        Result r = run(target, key, batch, threads, seconds, type);
        System.out.printf("track load: batch=%d threads=%d seconds=%d%n", batch, threads, seconds);
        System.out.printf("  events/s    %,.0f%n", r.events / r.seconds);
        System.out.printf("  requests/s  %,.0f%n", r.requests / r.seconds);
        System.out.printf("  latency ms  p50 %.1f  p99 %.1f  max %.1f%n", r.pct(50), r.pct(99), r.pct(100));
        System.out.printf("  errors      %d%n", r.errors);
    }

    record Result(long events, long requests, long errors, double seconds, long[] latencies) {
        double pct(int p) {
            if (latencies.length == 0) {
                return 0;
            }
            int i = Math.min(latencies.length - 1, (int) Math.ceil(p / 100.0 * latencies.length) - 1);
            return latencies[Math.max(0, i)] / 1e6;
        }
    }

    static Result run(URI target, String key, int batch, int threads, int seconds, String type) throws Exception {
        currentRun = RUNS.incrementAndGet();
        AtomicLong events = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<long[]>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                long[] lat = new long[1 << 16];
                int n = 0;
                long seq = 0;
                Connection connection = new Connection(target);
                while (System.nanoTime() < end) {
                    byte[] body = body(thread, seq, batch, type).getBytes(StandardCharsets.UTF_8);
                    seq += batch;
                    long t0 = System.nanoTime();
                    int status = connection.post(target.getRawPath(), key, body);
                    long took = System.nanoTime() - t0;
                    if (status == 202) {
                        events.addAndGet(batch);
                        requests.incrementAndGet();
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = took;
                    } else {
                        errors.incrementAndGet();
                    }
                }
                connection.close();
                return Arrays.copyOf(lat, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        for (Future<long[]> f : futures) {
            all.add(f.get());
        }
        double took = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        return new Result(events.get(), requests.get(), errors.get(), took, latencies);
    }

    /** One keep-alive HTTP/1.1 connection: write a POST, read the status, headers and Content-Length body. */
    static final class Connection {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final String host;

        Connection(URI target) throws IOException {
            socket = new Socket(target.getHost(), target.getPort());
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
            host = target.getHost() + ":" + target.getPort();
        }

        int post(String path, String key, byte[] body) throws IOException {
            String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + key
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            String statusLine = line();
            int status = Integer.parseInt(statusLine.split(" ")[1]);
            int length = 0;
            for (String header = line(); !header.isEmpty(); header = line()) {
                if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                    length = Integer.parseInt(header.substring(15).trim());
                }
            }
            in.readNBytes(length);
            return status;
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        void close() throws IOException {
            socket.close();
        }
    }

    static boolean eventIds;
    /** Tells one run's eventIds from another's (the warm-up, an earlier run on the same data). */
    static final String RUN = Long.toString(System.currentTimeMillis(), 36);
    static final java.util.concurrent.atomic.AtomicLong RUNS = new java.util.concurrent.atomic.AtomicLong();
    static volatile long currentRun;

    /** Realistic small events: a user, a product, an amount, a time. */
    static String body(int thread, long seq, int batch, String type) {
        StringBuilder sb = new StringBuilder(batch * 180).append("{\"events\":[");
        for (int i = 0; i < batch; i++) {
            long n = seq + i;
            if (i > 0) {
                sb.append(',');
            }
            sb.append('{');
            if (eventIds) {
                sb.append("\"eventId\":\"").append(RUN).append('-').append(currentRun).append('-').append(thread).append('-').append(n).append("\",");
            }
            sb.append("\"subjectType\":\"user\",\"subjectId\":\"user").append((thread * 7919 + n) % 100_000)
                    .append("\",\"type\":\"").append(type)
                    .append("\",\"data\":{\"productId\":\"p").append(n % 500)
                    .append("\",\"productName\":\"Product ").append(n % 500)
                    .append("\",\"amount\":").append(1000 + n % 9000)
                    .append(",\"at\":").append(1_700_000_000_000L + n).append("}}");
        }
        return sb.append("]}").toString();
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            opt.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return opt;
    }
}
