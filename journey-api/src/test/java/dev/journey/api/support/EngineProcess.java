package dev.journey.api.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.awaitility.core.ConditionTimeoutException;

import dev.journey.api.runtime.OrphanedPostmaster;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The engine as users run it: {@code java -jar target/quarkus-app/quarkus-run.jar} in a child process,
 * on a given data directory and a free port, output in a log file under {@code target/engine-processes}.
 * Needs the packaged jar, so tests that use it are failsafe ITs. No child outlives the test: close()
 * stops the JVM and any PostgreSQL it left behind, and a shutdown hook does the same for engines a
 * test forgot.
 */
public final class EngineProcess implements AutoCloseable {
    public static final String API_KEY = "jk_engine_process_0123456789abcdef";
    public static final String ADMIN_TOKEN = "jadm_engine_process_0123456789abcdef";
    public static final String READY_LINE = "Journey engine is running";

    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    private static final Set<EngineProcess> OPEN = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> OPEN.forEach(EngineProcess::close), "engine-process-cleanup"));
    }

    private final Process process;
    private final Path dataDirectory;
    private final int port;
    private final Path log;
    private boolean closed;

    private EngineProcess(Process process, Path dataDirectory, int port, Path log) {
        this.process = process;
        this.dataDirectory = dataDirectory;
        this.port = port;
        this.log = log;
    }

    /** An engine with the defaults: the fixed demo key and admin token, {@code -Xmx512m}. */
    public static EngineProcess start(Path dataDirectory) {
        return on(dataDirectory).start();
    }

    public static Builder on(Path dataDirectory) {
        return new Builder(dataDirectory);
    }

    public static final class Builder {
        private final Path dataDirectory;
        private final Map<String, String> env = new LinkedHashMap<>();
        private String maxHeap = "512m";

        private Builder(Path dataDirectory) {
            this.dataDirectory = dataDirectory.toAbsolutePath();
        }

        /** An extra environment variable (Quarkus' naming: JOURNEY_TRACK_MAX_EVENTS, ...). */
        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /** The engine JVM's -Xmx, e.g. "256m". */
        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        public EngineProcess start() {
            Path jar = moduleDirectory().resolve("target/quarkus-app/quarkus-run.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: engine-process tests run after `package` (failsafe, `./mvnw verify`)");
            }
            try {
                Path logs = Files.createDirectories(moduleDirectory().resolve("target/engine-processes"));
                Path log = Files.createTempFile(logs, "engine-", ".log");
                int port = freePort();
                // With the JVM options src/scripts/start.sh gives the engine.
                Path options = moduleDirectory().getParent().resolve("src/scripts/engine.jvm");
                ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "@" + options, "-Xmx" + maxHeap, "-jar", jar.toString())
                        .directory(moduleDirectory().toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile());
                Map<String, String> childEnv = builder.environment();
                // Only what the test sets configures the child: no inherited external database or Temporal.
                childEnv.keySet().removeIf(k -> k.startsWith("QUARKUS_") || k.startsWith("JOURNEY_") || k.startsWith("TEMPORAL_"));
                childEnv.put("JOURNEY_DATA_DIR", dataDirectory.toString());
                childEnv.put("QUARKUS_HTTP_HOST", "127.0.0.1");
                childEnv.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                childEnv.put("JOURNEY_DEMO_API_KEY", API_KEY);
                childEnv.put("JOURNEY_ADMIN_TOKEN", ADMIN_TOKEN);
                childEnv.putAll(env);
                EngineProcess engine = new EngineProcess(builder.start(), dataDirectory, port, log);
                OPEN.add(engine);
                return engine;
            } catch (IOException e) {
                throw new UncheckedIOException("the engine did not start", e);
            }
        }
    }

    /** Waits for the start-up banner; fails with the log's tail if the process dies or the deadline passes. */
    public void awaitReady(Duration timeout) {
        awaitLog(READY_LINE, timeout);
    }

    /** Waits until the log contains {@code text}, with the same failure rules as {@link #awaitReady}. */
    public void awaitLog(String text, Duration timeout) {
        try {
            await().atMost(timeout).pollInterval(Duration.ofMillis(100)).until(() -> {
                if (log().contains(text)) {
                    return true;
                }
                // A dead engine will never write it: fail now, not at the deadline.
                if (!process.isAlive()) {
                    throw new AssertionError("the engine (pid " + pid() + ") exited with " + process.exitValue()
                            + " before its log said \"" + text + "\"; log " + log + " ends with:\n" + logTail());
                }
                return false;
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("no \"" + text + "\" in the engine's log within " + timeout.toSeconds()
                    + " s; log " + log + " ends with:\n" + logTail(), e);
        }
    }

    /** SIGKILL, as a crash or the OOM killer would: no shutdown hook runs. Waits for the exit. */
    public void kill9() {
        // On Linux destroyForcibly() is kill(pid, SIGKILL); the JDK reports a signal's death as 128 + signal.
        process.destroyForcibly();
        int exit = awaitExit(Duration.ofSeconds(30));
        if (exit != 128 + 9) {
            throw new AssertionError("expected the engine to die of SIGKILL (exit 137), it exited with " + exit);
        }
    }

    /** SIGTERM, a graceful shutdown (the engine stops its PostgreSQL); SIGKILL if it outlives the deadline. */
    public void stop() {
        process.destroy();
        try {
            awaitExit(STOP_TIMEOUT);
        } catch (AssertionError tooSlow) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
            throw tooSlow;
        }
    }

    private int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the engine (pid " + pid() + ") did not exit within " + timeout.toSeconds() + " s");
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for the engine to exit", e);
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** A request to this engine authenticated with the demo project's key, JSON by default. */
    public RequestSpecification api() {
        return given().baseUri(baseUrl()).contentType(ContentType.JSON).header("Authorization", "Bearer " + API_KEY);
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Everything the engine printed so far. */
    public String log() {
        try {
            return new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The log's first FATAL/ERROR lines (start-up retries can push the cause out of the tail), then its tail. */
    public String logTail() {
        List<String> lines = log().lines().toList();
        List<String> problems = lines.stream().filter(l -> l.contains("FATAL") || l.contains(" ERROR ")).limit(10).toList();
        return String.join("\n", problems) + (problems.isEmpty() ? "" : "\n...\n")
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** The embedded postmaster's pid, from {@code <dataDir>/postgres/postmaster.pid}, if the file is there. */
    public OptionalLong postmasterPid() {
        try {
            return OrphanedPostmaster.PidFile.read(postgresDirectory())
                    .map(file -> OptionalLong.of(file.pid())).orElse(OptionalLong.empty());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path postgresDirectory() {
        return dataDirectory.resolve("postgres");
    }

    /** Stops the engine if it runs, then a PostgreSQL it left behind (never one a live engine owns). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.remove(this);
        try {
            if (process.isAlive()) {
                stop();
            }
        } finally {
            try {
                OrphanedPostmaster.stop(postgresDirectory(), STOP_TIMEOUT)
                        .ifPresent(what -> System.err.println("EngineProcess cleanup: " + what));
            } catch (IOException e) {
                System.err.println("EngineProcess cleanup left PostgreSQL alone: " + e.getMessage());
            }
        }
    }

    private static Path moduleDirectory() {
        // Surefire and failsafe set basedir (the module's directory), which is also their working directory.
        return Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
