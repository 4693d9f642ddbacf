package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Every sandbox limit fails the one render that hits it, with a message saying which, and nothing else. */
class SandboxTest {
    /** Sorting a 20k-character string 9000 times: seconds of work, far inside the iteration limit. */
    private static final String SLOW = "{% for i in (1..9000) %}{% assign s = long | split: '' | sort | join: '' %}{% endfor %}done";
    private static final Map<String, Object> LONG = Map.of("long", "zyxwvutsrq".repeat(2000));

    @Test
    void aSlowTemplateStopsAtItsRenderTimeBudget() {
        TemplateRenderer renderer = new TemplateRenderer(new TemplateLimits(64 * 1024, 256 * 1024, 10_000, 200));
        long start = System.nanoTime();
        TemplateException e = assertThrows(TemplateException.class, () -> renderer.render(SLOW, LONG));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(e.getMessage().contains("took longer than 200 ms"), e.getMessage());
        assertTrue(millis < 2_000, "stopped after " + millis + " ms");
        assertEquals("fine", renderer.render("fine", Map.of()), "the same thread renders normally afterwards");
    }

    @Test
    void aRunawayRenderDoesNotSlowOrBreakOthers() throws Exception {
        TemplateRenderer renderer = new TemplateRenderer(new TemplateLimits(64 * 1024, 256 * 1024, 10_000, 300));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> slow = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                slow.add(pool.submit(() -> assertThrows(TemplateException.class, () -> renderer.render(SLOW, LONG))));
            }
            List<Future<Long>> fast = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                fast.add(pool.submit(() -> {
                    long worst = 0;
                    for (int i = 0; i < 2000; i++) {
                        long start = System.nanoTime();
                        String out = renderer.render("Hi << user.name >> #" + (i % 50), Map.of("user", Map.of("name", "n" + i)));
                        worst = Math.max(worst, System.nanoTime() - start);
                        assertEquals("Hi n" + i + " #" + (i % 50), out);
                    }
                    return TimeUnit.NANOSECONDS.toMillis(worst);
                }));
            }
            for (Future<Long> f : fast) {
                assertTrue(f.get(30, TimeUnit.SECONDS) < 300, "a normal render never waits for the runaway one");
            }
            for (Future<?> f : slow) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void loopsOutputAndTemplateSizeAreBounded() {
        TemplateRenderer small = new TemplateRenderer(new TemplateLimits(200, 1000, 50, 1000));
        TemplateException loops = assertThrows(TemplateException.class,
                () -> small.render("{% for i in (1..1000) %}{{ i }}{% endfor %}", Map.of()));
        assertTrue(loops.getMessage().contains("loops too many times"), loops.getMessage());
        TemplateException output = assertThrows(TemplateException.class,
                () -> small.render("{% for i in (1..40) %}{{ 'abcdefghijklmnopqrstuvwxyz0123456789' }}{% endfor %}", Map.of()));
        assertTrue(output.getMessage().contains("too long"), output.getMessage());
        TemplateException size = assertThrows(TemplateException.class, () -> small.render("x".repeat(201), Map.of()));
        assertTrue(size.getMessage().contains("too long: 201 characters, at most 200"), size.getMessage());
    }

    @Test
    void textGrownInsideAssignIsBoundedToo() {
        TemplateRenderer renderer = new TemplateRenderer(new TemplateLimits(1024, 10_000, 100, 5_000));
        TemplateException e = assertThrows(TemplateException.class, () -> renderer.render(
                "{% assign s = 'xxxxxxxxxx' %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}", Map.of()));
        assertTrue(e.getMessage().contains("grew beyond 10000 characters"), e.getMessage());
    }

    @Test
    void aSnippetThatRendersItselfFailsAlone() {
        TemplateRenderer renderer = new TemplateRenderer();
        TemplateException e = assertThrows(TemplateException.class,
                () -> renderer.render("{% render 'loop' %}", Map.of(), Partials.of(Map.of("loop", "x{% render 'loop' %}"))));
        assertTrue(e.getMessage().contains("too deeply") || e.getMessage().contains("took longer"), e.getMessage());
        assertEquals("ok", renderer.render("ok", Map.of()));
    }
}
