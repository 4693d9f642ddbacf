package dev.journey.templates.conformance;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateLimits;
import dev.journey.templates.TemplateRenderer;
import dev.journey.templates.liquid.MapNameResolver;

/**
 * Runs the golden-liquid suite (MIT; a copy in this module's test resources, {@code golden-liquid/})
 * through {@link TemplateRenderer}, i.e. the module's own parser configuration. Each case runs
 * on a worker thread with a time limit and an iteration limit, so no case can hang the build.
 * Run {@link #main} to print every failure.
 */
public final class GoldenLiquidSuite {
    static final String SUITE = "/golden-liquid/golden_liquid.json";
    private static final long CASE_TIMEOUT_MILLIS = 3_000;
    private static final TemplateLimits LIMITS = new TemplateLimits(1024 * 1024, 1024 * 1024, 100_000);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One case's outcome. */
    public record Outcome(String name, List<String> tags, boolean passed, String expected, String actual) {}

    /** All outcomes of one run. */
    public record Report(List<Outcome> outcomes) {
        public long passed() {
            return outcomes.stream().filter(Outcome::passed).count();
        }

        public int total() {
            return outcomes.size();
        }

        public double percent() {
            return total() == 0 ? 0 : 100.0 * passed() / total();
        }

        public Map<String, Integer> failuresByTag() {
            Map<String, Integer> byTag = new TreeMap<>();
            for (Outcome o : outcomes) {
                if (!o.passed()) {
                    (o.tags().isEmpty() ? List.of("(untagged)") : o.tags())
                            .forEach(t -> byTag.merge(t, 1, Integer::sum));
                }
            }
            return byTag;
        }

        public String summary() {
            StringBuilder s = new StringBuilder(String.format("golden-liquid: %d/%d (%.1f%%)%n", passed(), total(), percent()));
            failuresByTag().entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .forEach(e -> s.append(String.format("  %3d  %s%n", e.getValue(), e.getKey())));
            return s.toString();
        }
    }

    private GoldenLiquidSuite() {}

    /** The copy of the suite on the test classpath. */
    public static Path locate() {
        java.net.URL suite = GoldenLiquidSuite.class.getResource(SUITE);
        if (suite == null) {
            throw new IllegalStateException("cannot find " + SUITE + " on the test classpath");
        }
        try {
            return Path.of(suite.toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Report run(Path suite) throws IOException {
        JsonNode tests = JSON.readTree(suite.toFile()).get("tests");
        List<Outcome> outcomes = new ArrayList<>();
        ExecutorService worker = newWorker();
        try {
            for (JsonNode test : tests) {
                Outcome outcome;
                Future<Outcome> future = worker.submit(() -> runCase(test));
                try {
                    outcome = future.get(CASE_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    future.cancel(true);
                    worker.shutdownNow();
                    worker = newWorker(); // the stuck thread is a daemon and is abandoned
                    outcome = outcome(test, false, "timed out after " + CASE_TIMEOUT_MILLIS + " ms");
                } catch (ExecutionException e) {
                    outcome = outcome(test, false, "runner error: " + e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                outcomes.add(outcome);
            }
        } finally {
            worker.shutdownNow();
        }
        return new Report(outcomes);
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "golden-liquid-case");
            t.setDaemon(true);
            return t;
        });
    }

    private static Outcome runCase(JsonNode test) {
        Map<String, String> partials = test.has("templates")
                ? JSON.convertValue(test.get("templates"), new TypeReference<Map<String, String>>() {})
                : Map.of();
        Map<String, Object> data = test.has("data") && test.get("data").isObject()
                ? JSON.convertValue(test.get("data"), new TypeReference<Map<String, Object>>() {})
                : Map.of();
        String actual;
        boolean failed;
        try {
            actual = new TemplateRenderer(LIMITS, new MapNameResolver(partials)).render(test.get("template").asText(), data);
            failed = false;
        } catch (RuntimeException | StackOverflowError e) {
            actual = "error: " + e;
            failed = true;
        }
        boolean passed;
        if (test.path("invalid").asBoolean(false)) {
            passed = failed;
        } else if (test.has("results")) {
            passed = false;
            for (JsonNode r : test.get("results")) {
                passed |= !failed && r.asText().equals(actual);
            }
        } else {
            passed = !failed && test.path("result").asText().equals(actual);
        }
        return outcome(test, passed, actual);
    }

    private static Outcome outcome(JsonNode test, boolean passed, String actual) {
        List<String> tags = new ArrayList<>();
        test.path("tags").forEach(t -> tags.add(t.asText()));
        String expected = test.path("invalid").asBoolean(false) ? "(an error)"
                : test.has("results") ? test.get("results").toString() : test.path("result").asText();
        return new Outcome(test.get("name").asText(), tags, passed, expected, actual);
    }

    /** Prints the summary and every failing case (name, template, expected, actual). */
    public static void main(String[] args) throws IOException {
        Path suite = locate();
        JsonNode tests = JSON.readTree(suite.toFile()).get("tests");
        Map<String, JsonNode> byName = new TreeMap<>();
        tests.forEach(t -> byName.put(t.get("name").asText(), t));
        Report report = run(suite);
        String only = args.length > 0 ? args[0] : null;
        for (Outcome o : report.outcomes()) {
            if (!o.passed() && (only == null || o.tags().contains(only) || o.name().contains(only))) {
                JsonNode t = byName.get(o.name());
                System.out.printf("FAIL %s %s%n  template: %s%n  data:     %s%n  expected: %s%n  actual:   %s%n",
                        o.name(), o.tags(), t.get("template").asText().replace("\n", "\\n"),
                        t.path("data"), o.expected().replace("\n", "\\n"), String.valueOf(o.actual()).replace("\n", "\\n"));
            }
        }
        System.out.print(report.summary());
    }
}
