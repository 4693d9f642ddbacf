import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The embedded runtime under a burst, over many finished journeys, with many waiting ones, and
 * across a restart. Starts the packaged engine (embedded PostgreSQL, in-process Temporal) as a
 * child process on a throw-away data directory, on loopback, and prints:
 *
 *   - the memory of the idle engine: the JVM's and embedded PostgreSQL's proportional set size (PSS);
 *   - event → webhook hand-off latency: HANDOFF_RATE single-event requests a second for
 *     HANDOFF_SECONDS, each entering a journey whose one step is an immediate webhook to a receiver
 *     on loopback; p50, p99 and max from the request's start to the webhook's arrival, and how many
 *     never arrived (must be 0);
 *   - entries/s for a burst of BURST one-message journeys, the time until the last one ends,
 *     and how many instances stay active after that (stranded: must be 0);
 *   - the live heap after a full GC before and after (per finished journey), after FINISHED
 *     finished journeys in all;
 *   - the live heap with WAITING journeys waiting (per waiting journey, and for 100,000);
 *   - the restart time with those WAITING instances active (until all are resumed).
 *
 * Run with a JDK only (jcmd reads the engine's heap): java src/bench/RuntimeBench.java
 * Settings by environment: BURST (20000), FINISHED (BURST), WAITING (10000), HEAP (2g), PORT (18081),
 * ENGINE_ARGFILE (src/scripts/engine.jvm, as start.sh; empty: the JVM's defaults), ENGINE_JAVA_OPTS (more options),
 * HANDOFF_RATE (100), HANDOFF_WARMUP (10, not counted), HANDOFF_SECONDS (60; 0 skips the hand-off phase),
 * HANDOFF_TIMELINE (set: every second's worst hand-off, to tell a stall from a load the engine cannot keep up with).
 */
public class RuntimeBench {
    static final String KEY = "bench-key-0123456789abcdef0123";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static String base;
    static Path data;
    static Process engine;
    static Path log;

    private static int starts;

    public static void main(String[] args) throws Exception {
        int burst = intEnv("BURST", 20_000);
        int finished = Math.max(burst, intEnv("FINISHED", burst));
        int waiting = intEnv("WAITING", 10_000);
        String heap = System.getenv().getOrDefault("HEAP", "2g");
        int port = intEnv("PORT", 18081);
        base = "http://127.0.0.1:" + port + "/v1/projects/demo";
        data = Files.createTempDirectory("journey-runtime-bench");
        Runtime.getRuntime().addShutdownHook(new Thread(RuntimeBench::stopQuietly));
        try {
            long startMillis = start(heap, port);
            System.out.printf("engine ready in %d ms (heap -Xmx%s, data %s)%n", startMillis, heap, data);
            idleMemory();
            handOff(intEnv("HANDOFF_RATE", 100), intEnv("HANDOFF_WARMUP", 10), intEnv("HANDOFF_SECONDS", 60));
            post("/channels", "{\"type\": \"inapp\"}");
            String once = publish("""
                    {"name": "Welcome", "trigger": {"event": "signup"},
                     "steps": [{"id": "hello", "type": "message", "channel": "inapp", "template": {"body": "Welcome << entry_event.subjectId >>"}, "next": null}]}""");
            String later = publish("""
                    {"name": "Tomorrow", "trigger": {"event": "trial"},
                     "steps": [{"id": "pause", "type": "wait", "duration": "P1D", "next": "nudge"},
                               {"id": "nudge", "type": "message", "channel": "inapp", "template": {"body": "Still there?"}, "next": null}]}""");
            long heap0 = liveHeapKb();
            System.out.printf("live heap after GC, before any journey: %d MB%n", heap0 / 1024);

            int done = 0;
            boolean first = true;
            while (done < finished) {
                int n = Math.min(burst, finished - done);
                long t0 = System.nanoTime();
                track("signup", done, n);
                long posted = System.nanoTime();
                long enteredAt = awaitStat(once, "entered", done + n, Duration.ofMinutes(30));
                long endedAt = awaitStat(once, "completed", done + n, Duration.ofMinutes(30));
                done += n;
                if (first) {
                    System.out.printf("burst of %d: posted in %d ms; all entered after %d ms (%.0f entries/s); last ended after %d ms (%.0f journeys/s end to end)%n",
                            n, ms(t0, posted), ms(t0, enteredAt), n * 1e9 / (enteredAt - t0), ms(t0, endedAt), n * 1e9 / (endedAt - t0));
                    first = false;
                }
                long stranded = stat(once, "active");
                long heapNow = liveHeapKb();
                System.out.printf("finished journeys: %d; stranded (active after all ended): %d; live heap after GC: %d MB (%+d MB, %.1f KB per finished journey)%n",
                        done, stranded, heapNow / 1024, (heapNow - heap0) / 1024, (heapNow - heap0) / (double) done);
                long[] replaced = replacements();
                System.out.printf("closed workflows dropped from the in-process service so far: %d; service replaced %d times so far:"
                        + " %d finished journeys dropped, %d running ones resumed (work done twice)%n",
                        workflowsDropped(), replaced[0], replaced[1], replaced[2]);
            }

            long heapBeforeWaiting = liveHeapKb();
            long t0 = System.nanoTime();
            track("trial", 0, waiting);
            awaitStat(later, "entered", waiting, Duration.ofMinutes(30));
            awaitCheckpointed(later, waiting, Duration.ofMinutes(30));
            System.out.printf("%d journeys waiting after %d ms%n", waiting, ms(t0, System.nanoTime()));
            long heapWaiting = liveHeapKb();
            double perWaiting = (heapWaiting - heapBeforeWaiting) / (double) waiting;
            System.out.printf("live heap after GC with %d waiting: %d MB (%.1f KB per waiting journey; 100,000 waiting: ~%.0f MB)%n",
                    waiting, heapWaiting / 1024, perWaiting, perWaiting * 100_000 / 1024);

            stop();
            long t1 = System.nanoTime();
            long readyMillis = start(heap, port);
            String resumed = awaitLog(Pattern.compile("resumed (\\d+) running journey instance\\(s\\), ended \\d+, in (\\d+) ms"), Duration.ofMinutes(10));
            System.out.printf("restart with %d active instances: HTTP ready after %d ms; %s; all resumed %d ms after the process started%n",
                    waiting, readyMillis, resumed, ms(t1, System.nanoTime()));
            System.out.printf("after the restart: active %d (expected %d)%n", stat(later, "active"), waiting);
        } finally {
            stopQuietly();
        }
        // The webhook receiver's and the HTTP client's threads would keep the JVM alive after the figures.
        System.exit(0);
    }

    // --- memory and hand-off

    /** After start-up settles: PSS of the engine's JVM and of its PostgreSQL server processes (shared buffers counted once). */
    static void idleMemory() throws Exception {
        Thread.sleep(5_000); // start-up work (recovery, first dispatch poll) settles; nothing else runs
        liveHeapKb();
        long jvm = pssKb(engine.pid());
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(0).strip());
        long pg = pssKb(postmaster);
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String stat = Files.readString(proc.resolve("stat"));
                    long parent = Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
                    if (parent == postmaster) {
                        pg += pssKb(Long.parseLong(proc.getFileName().toString()));
                    }
                } catch (IOException | RuntimeException gone) {
                    // a process that ended while we looked
                }
            }
        }
        System.out.printf("idle memory (PSS): engine JVM %d MB + embedded PostgreSQL %d MB = %d MB%n", jvm / 1024, pg / 1024, (jvm + pg) / 1024);
    }

    static long pssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps_rollup"))) {
            if (line.startsWith("Pss:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return 0;
    }

    /**
     * Single-event requests at {@code rate}/s for {@code warmup} + {@code seconds}; each becomes one
     * webhook, timed from the request's start. Those of the warm-up (JIT, first connections) are
     * waited for but not counted.
     */
    static void handOff(int rate, int warmup, int seconds) throws Exception {
        if (seconds <= 0) {
            return;
        }
        int counted = rate * Math.max(0, warmup);
        int total = rate * (Math.max(0, warmup) + seconds);
        long[] latencyMicros = new long[total];
        Arrays.fill(latencyMicros, -1);
        AtomicInteger arrived = new AtomicInteger();
        AtomicInteger repeated = new AtomicInteger();
        Pattern sent = Pattern.compile("\"body\"\\s*:\\s*\"(\\d+) (\\d+)\"");
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        receiver.setExecutor(Executors.newFixedThreadPool(4));
        receiver.createContext("/hook", exchange -> {
            long now = micros();
            Matcher m = sent.matcher(new String(exchange.getRequestBody().readAllBytes()));
            if (m.find()) {
                int n = Integer.parseInt(m.group(1));
                if (latencyMicros[n] < 0) {
                    latencyMicros[n] = now - Long.parseLong(m.group(2));
                    arrived.incrementAndGet();
                } else {
                    repeated.incrementAndGet();
                }
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            post("/channels", "{\"type\": \"webhook\", \"url\": \"http://127.0.0.1:" + receiver.getAddress().getPort()
                    + "/hook\", \"secret\": \"bench-webhook-secret-0123456789\"}");
            publish("""
                    {"name": "Ping", "trigger": {"event": "ping"},
                     "steps": [{"id": "pong", "type": "message", "channel": "webhook", "template": {"body": "<< entry_event.data.n >> << entry_event.data.at >>"}, "next": null}]}""");
            ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
            ExecutorService senders = Executors.newFixedThreadPool(16);
            AtomicInteger next = new AtomicInteger();
            clock.scheduleAtFixedRate(() -> {
                int n = next.getAndIncrement();
                if (n < total) {
                    senders.submit(() -> post("/track", "{\"events\": [{\"subjectType\": \"user\", \"subjectId\": \"ping-" + n
                            + "\", \"type\": \"ping\", \"data\": {\"n\": " + n + ", \"at\": " + micros() + "}}]}"));
                }
            }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
            // The warm-up is sent first: the last event goes after warm-up + seconds, then a minute for the stragglers.
            long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(0, warmup) + seconds + 60L).toNanos();
            while (arrived.get() < total && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            clock.shutdownNow();
            senders.shutdown();
            long[] got = Arrays.stream(latencyMicros, counted, total).filter(l -> l >= 0).sorted().toArray();
            System.out.printf("event → webhook hand-off at %d events/s for %d s (after %d s of warm-up): p50 %.1f ms, p99 %.1f ms, max %.1f ms;"
                            + " %d of %d arrived (%d of %d in all)%n", rate, seconds, warmup, percentile(got, 50) / 1000.0,
                    percentile(got, 99) / 1000.0, percentile(got, 100) / 1000.0, got.length, total - counted, arrived.get(), total);
            // Where a tail comes from: the seconds (of sending) whose events waited longest.
            long[] worst = new long[warmup + seconds];
            for (int n = counted; n < total; n++) {
                worst[n / rate] = Math.max(worst[n / rate], latencyMicros[n]);
            }
            List<Integer> order = new ArrayList<>();
            for (int sec = Math.max(0, warmup); sec < worst.length; sec++) {
                order.add(sec);
            }
            order.sort((a, b) -> Long.compare(worst[b], worst[a]));
            System.out.println("  messages that arrived more than once: " + repeated.get());
            System.out.println("  slowest seconds (since the first request; max latency): " + order.stream().limit(5)
                    .map(sec -> "t=" + sec + "s " + worst[sec] / 1000 + " ms").collect(java.util.stream.Collectors.joining(", ")));
            if (System.getenv("HANDOFF_TIMELINE") != null) {
                StringBuilder line = new StringBuilder("  every second's max latency, ms:");
                for (int sec = Math.max(0, warmup); sec < worst.length; sec++) {
                    line.append(' ').append(worst[sec] / 1000);
                }
                System.out.println(line);
            }
        } finally {
            receiver.stop(0);
        }
    }

    private static final long ORIGIN_NANOS = System.nanoTime();

    /** Sender and receiver are this process: a monotonic clock, so a step of the wall clock cannot make a latency negative (and lost). */
    static long micros() {
        return (System.nanoTime() - ORIGIN_NANOS) / 1_000;
    }

    static long percentile(long[] sorted, int p) {
        return sorted.length == 0 ? -1 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    // --- the engine

    static long start(String heap, int port) throws Exception {
        // JAR=… measures another build (an earlier version checked out elsewhere) on the same machine state.
        Path jar = Path.of(System.getenv().getOrDefault("JAR", "journey-api/target/quarkus-app/quarkus-run.jar"));
        log = data.resolve("engine-" + System.nanoTime() + ".log");
        // ENGINE_JAVA_OPTS: extra JVM options for the engine, e.g. a profiler:
        // -XX:StartFlightRecording=filename=burst-{start}.jfr ({start}: 1, then 2 for the restart)
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        // The JVM options start.sh runs the engine with; ENGINE_ARGFILE= (empty) measures the JVM's own defaults.
        String argfile = System.getenv().getOrDefault("ENGINE_ARGFILE", "src/scripts/engine.jvm");
        if (!argfile.isBlank()) {
            command.add("@" + argfile);
        }
        command.add("-Xmx" + heap);
        String extra = System.getenv().getOrDefault("ENGINE_JAVA_OPTS", "").strip().replace("{start}", Integer.toString(++starts));
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JOURNEY_DATA_DIR", data.toString());
        pb.environment().put("JOURNEY_DEMO_API_KEY", KEY);
        pb.environment().put("JOURNEY_ADMIN_TOKEN", "bench-admin-token-0123456789abcdef");
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        long t0 = System.nanoTime();
        engine = pb.start();
        awaitLog(Pattern.compile("Journey engine is running"), Duration.ofMinutes(3));
        return ms(t0, System.nanoTime());
    }

    static void stop() throws InterruptedException {
        engine.destroy();
        engine.waitFor();
    }

    static void stopQuietly() {
        if (engine != null && engine.isAlive()) {
            engine.destroy();
            try {
                engine.waitFor();
            } catch (InterruptedException ignored) {
            }
        }
    }

    static String awaitLog(Pattern pattern, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) {
                return m.group();
            }
            if (!engine.isAlive()) {
                throw new IllegalStateException("the engine exited; log " + log);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("not in the log within " + timeout + ": " + pattern + "; log " + log);
    }

    /** Full GC, then the heap in use (KB): what stays alive. */
    static long liveHeapKb() throws Exception {
        jcmd("GC.run");
        return heapUsedKb(jcmd("GC.heap_info"));
    }

    /**
     * The heap in use, from {@code jcmd GC.heap_info}: the sum of its spaces' "total …K, used …K" lines (G1 prints
     * one for the whole heap; the throughput collector one for the young and one for the old generation, the young
     * one first, which after a full GC is near zero). Metaspace's line has no total, so it is not counted.
     */
    static long heapUsedKb(String heapInfo) {
        Matcher m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(heapInfo);
        long used = 0;
        boolean found = false;
        while (m.find()) {
            used += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IllegalStateException("no heap figure from jcmd: " + heapInfo);
        }
        return used;
    }

    static String jcmd(String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(engine.pid()), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }

    // --- the API

    static String publish(String definition) throws Exception {
        String created = post("/journeys", definition);
        Matcher m = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(created);
        m.find();
        post("/journeys/" + m.group(1) + "/publish", "");
        return m.group(1);
    }

    /** Posts count events of one type, 500 a request, 4 requests at a time. */
    static void track(String type, int from, int count) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> sent = new ArrayList<>();
        for (int start = from; start < from + count; start += 500) {
            int s = start;
            int end = Math.min(from + count, start + 500);
            sent.add(pool.submit(() -> {
                StringBuilder body = new StringBuilder("{\"events\": [");
                for (int i = s; i < end; i++) {
                    body.append(i == s ? "" : ",").append("{\"subjectType\": \"user\", \"subjectId\": \"").append(type).append("-")
                            .append(i).append("\", \"type\": \"").append(type).append("\", \"data\": {\"n\": ").append(i).append("}}");
                }
                return post("/track", body.append("]}").toString());
            }));
        }
        for (Future<String> f : sent) {
            f.get();
        }
        pool.shutdown();
    }

    static long stat(String journey, String name) throws Exception {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(get("/journeys/" + journey + "/stats"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    static long awaitStat(String journey, String name, long value, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stat(journey, name) < value) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + " did not reach " + value + " within " + timeout);
            }
            Thread.sleep(100);
        }
        return System.nanoTime();
    }

    /** Until every waiting instance has checkpointed its wait (a restart then resumes it with its deadline). */
    static void awaitCheckpointed(String journey, int count, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            String page = get("/journeys/" + journey + "/instances?status=active&limit=500");
            boolean allPaused = !page.contains("\"currentStep\":null") && page.contains("\"currentStep\":\"pause\"");
            if (stat(journey, "active") == count && allPaused) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instances not all waiting within " + timeout);
            }
            Thread.sleep(200);
        }
    }

    static String get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    static String post(String path, String json) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    static String send(HttpRequest.Builder request) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + KEY).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** Replacements of the in-process Temporal service in the engine's log: how many, finished journeys dropped, running ones resumed. */
    static long[] replacements() throws IOException {
        Matcher m = Pattern.compile("replaced the in-process Temporal service: (\\d+) finished journeys dropped from memory, (\\d+) running ones resumed")
                .matcher(Files.readString(log));
        long[] total = new long[3];
        while (m.find()) {
            total[0]++;
            total[1] += Long.parseLong(m.group(1));
            total[2] += Long.parseLong(m.group(2));
        }
        return total;
    }

    /** The engine's count of closed workflows it dropped from the in-process Temporal service (ClosedWorkflows). */
    static long workflowsDropped() throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base.replaceFirst("/v1/.*", "/q/metrics"))).GET()).lines()
                .filter(l -> l.startsWith("journey_temporal_workflows_dropped_total"))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    static long ms(long from, long to) {
        return (to - from) / 1_000_000;
    }

    static int intEnv(String name, int fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
    }
}
