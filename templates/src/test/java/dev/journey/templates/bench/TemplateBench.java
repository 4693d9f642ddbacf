package dev.journey.templates.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateLimits;
import dev.journey.templates.TemplateRenderer;

/**
 * Renders per second of a typical push and a typical e-mail, on one thread and on two, through the
 * same {@link TemplateRenderer} the worker uses (default sandbox limits, render-time budget on).
 * A plain harness, not a test: warm up, then count renders in a fixed window. Run it with
 * {@code src/bench/templates.sh} (arguments: seconds per measurement, default 5).
 */
public final class TemplateBench {
    static final Map<String, String> PUSH = Map.of(
            "title", "<< user.id >>, your << entry_event.data.productName | default: 'order' | truncate: 24 >> shipped",
            "body", "Paid << entry_event.data.amount | currency: 'KRW' >> on << entry_event.timestamp | date: '%b %d, %H:%M', 'Asia/Seoul' >>. Tap to track.");

    static final Map<String, String> EMAIL = Map.of(
            "subject", "Your order of {{ entry_event.data.items | size }} {{ entry_event.data.items | size | pluralize: 'item', 'items' }}",
            "html", """
                    <html><body style="font-family: sans-serif">
                    <h1>Thanks, {{ user.tags.firstName | default: 'friend' | capitalize }}!</h1>
                    <p>Order {{ entry_event.data.orderId | upcase }} — {{ entry_event.timestamp | date: '%Y-%m-%d %H:%M', 'Asia/Seoul' }}</p>
                    <table>
                    {% for item in entry_event.data.items %}
                      <tr class="{% cycle 'odd', 'even' %}">
                        <td>{{ forloop.index }}.</td>
                        <td><a href="https://shop.example/p?name={{ item.name | url_encode }}">{{ item.name | escape | truncate: 40 }}</a></td>
                        <td>{{ item.qty | number_with_delimiter }} × {{ item.price | currency: 'KRW' }}</td>
                        {% if item.qty > 1 %}<td>{{ item.qty | times: item.price | currency: 'KRW' }}</td>{% else %}<td></td>{% endif %}
                      </tr>
                    {% endfor %}
                    </table>
                    <p>Total: <strong>{{ entry_event.data.amount | currency: 'KRW' }}</strong></p>
                    {% if user.tags.tier == 'gold' %}<p>As a gold member you earned {{ entry_event.data.amount | divided_by: 100 | number_with_delimiter }} points.</p>{% endif %}
                    <p style="color:#888">You get this e-mail because you bought at shop.example. <a href="https://shop.example/unsub?u={{ user.id | url_encode }}">Unsubscribe</a></p>
                    </body></html>""");

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TemplateBench() {}

    static Map<String, Object> context(int i) {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int n = 0; n < 3 + i % 3; n++) {
            items.add(Map.of("name", "Item <" + n + "> 한글 " + i, "qty", 1 + (n + i) % 3, "price", 12_000 + 500 * n));
        }
        return Map.of(
                "entry_event", Map.of("id", String.valueOf(i), "type", "purchase", "subjectType", "user", "subjectId", "u" + i,
                        "timestamp", 1_709_600_000_000L + i * 60_000L,
                        "data", Map.of("productName", "Lamp " + i, "orderId", "ord-" + i, "amount", 48_000 + i, "items", items)),
                "user", Map.of("id", "u" + i, "tags", Map.of("firstName", "kim", "tier", i % 2 == 0 ? "gold" : "silver")),
                "journey", Map.of("id", "j1", "name", "Thanks", "version", 3),
                "message", Map.of("id", "m" + i, "channel", "webhook"));
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        TemplateRenderer renderer = new TemplateRenderer(TemplateLimits.DEFAULT);
        List<Map<String, Object>> contexts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            contexts.add(context(i));
        }
        check(renderer, contexts);
        System.out.printf("templates benchmark: %d cores, %.0f s per figure, limits %s%n",
                Runtime.getRuntime().availableProcessors(), seconds, TemplateLimits.DEFAULT);
        for (String name : List.of("push", "email")) {
            Map<String, String> template = "push".equals(name) ? PUSH : EMAIL;
            run(renderer, template, contexts, 1, Math.max(1, seconds / 2)); // warm-up, not printed
            for (int threads : new int[] {1, 2}) {
                double[] rate = run(renderer, template, contexts, threads, seconds);
                System.out.printf("%-5s %d thread%s  %,10.0f renders/s  (%,.1f µs of CPU per render: %,.0f renders per CPU-second)%n",
                        name, threads, threads == 1 ? " " : "s", rate[0], 1e6 / rate[1], rate[1]);
            }
        }
    }

    /** Fails loudly if a template does not render, so the figures never measure error paths. */
    private static void check(TemplateRenderer renderer, List<Map<String, Object>> contexts) {
        for (Map<String, String> template : List.of(PUSH, EMAIL)) {
            RenderResult result = renderer.renderFields(template, contexts.get(1));
            if (!result.ok()) {
                throw new IllegalStateException("benchmark template does not render: " + result.errors());
            }
        }
    }

    /**
     * Renders of every field of {@code template} per second of wall time, all threads together,
     * and per second of the rendering threads' own CPU time (which other processes on a shared
     * machine do not distort).
     */
    private static double[] run(TemplateRenderer renderer, Map<String, String> template, List<Map<String, Object>> contexts,
                              int threads, double seconds) throws InterruptedException {
        LongAdder renders = new LongAdder();
        LongAdder cpuNanos = new LongAdder();
        AtomicLong sink = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        long window = (long) (seconds * 1e9);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 7;
            Thread worker = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                long cpuStart = CPU.getCurrentThreadCpuTime();
                long end = System.nanoTime() + window;
                long local = 0;
                int i = offset;
                while (System.nanoTime() < end) {
                    RenderResult result = renderer.renderFields(template, contexts.get(i++ & 63));
                    local += result.rendered().size();
                    renders.increment();
                }
                cpuNanos.add(CPU.getCurrentThreadCpuTime() - cpuStart);
                sink.addAndGet(local);
            });
            worker.start();
            workers.add(worker);
        }
        long began = System.nanoTime();
        start.countDown();
        for (Thread worker : workers) {
            worker.join();
        }
        double elapsed = (System.nanoTime() - began) / 1e9;
        if (sink.get() == 0) {
            throw new IllegalStateException("nothing rendered");
        }
        return new double[] {renders.sum() / elapsed, renders.sum() / (cpuNanos.sum() / 1e9)};
    }
}
