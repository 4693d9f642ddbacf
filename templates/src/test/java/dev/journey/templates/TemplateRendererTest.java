package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

class TemplateRendererTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    private static Map<String, Object> purchase(String productName) {
        Map<String, Object> data = productName == null ? Map.of("amount", 10000) : Map.of("productName", productName, "amount", 10000);
        return Map.of("entry_event", Map.of("type", "purchase", "data", data));
    }

    @Test
    void rendersCurlyAndAngleDelimitersAlike() {
        assertEquals("Thanks for buying Product Name!",
                renderer.render("Thanks for buying {{ entry_event.data.productName | default: \"it\" }}!", purchase("Product Name")));
        assertEquals("Thanks for buying Product Name!",
                renderer.render("Thanks for buying << entry_event.data.productName | default: 'it' >>!", purchase("Product Name")));
        assertEquals("Thanks for buying it!",
                renderer.render("Thanks for buying << entry_event.data.productName | default: \"it\" >>!", purchase(null)));
    }

    @Test
    void plainTextAnglesStayText() {
        assertEquals("1 << 2 and a >> b", AngleBrackets.translate("1 << 2 and a >> b"));
        assertEquals("<<< x >>>", AngleBrackets.translate("<<< x >>>"));
        assertEquals("<< unclosed", AngleBrackets.translate("<< unclosed"));
        assertEquals("<<  >>", AngleBrackets.translate("<<  >>"));
        assertEquals("Use << and >> to shift", AngleBrackets.translate("Use << and >> to shift"));
        assertEquals("{{- x -}} and {{ y }}", AngleBrackets.translate("<<- x ->> and << y >>"));
        assertEquals("{{ a.b[0][\"c d\"] | default: 'x' | upcase }}",
                AngleBrackets.translate("<< a.b[0][\"c d\"] | default: 'x' | upcase >>"));
        assertEquals("a <<< b {{ c }}", AngleBrackets.translate("a <<< b << c >>"));
    }

    @Test
    void syntaxErrorCarriesLineAndColumn() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> renderer.render("line one\nHello {{ user.name | }}", Map.of()));
        assertEquals(2, e.line());
        assertTrue(e.column() > 0, "column " + e.column());
        TemplateException unknownFilter = assertThrows(TemplateException.class,
                () -> renderer.render("line one\n\nHello << user.name | shout >>", Map.of()));
        assertTrue(unknownFilter.getMessage().contains("shout"), unknownFilter.getMessage());
    }

    @Test
    void renderFieldsReportsEachFieldApart() {
        RenderResult result = renderer.renderFields(
                Map.of("title", "Hi << entry_event.data.productName >>", "body", "{% if %}"), purchase("Shoes"));
        assertEquals("Hi Shoes", result.rendered().get("title"));
        assertFalse(result.ok());
        assertEquals("body", result.errors().get(0).field());
    }

    @Test
    void loopsAreBounded() {
        TemplateRenderer small = new TemplateRenderer(new TemplateLimits(1024, 1024, 50));
        assertThrows(TemplateException.class,
                () -> small.render("{% for i in (1..1000) %}{{ i }}{% endfor %}", Map.of()));
    }

    @Test
    void partialsBelongToOneRenderAndNeverLeakToAnother() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String project = "p" + (i % 7);
                Partials snippets = Partials.of(Map.of("footer", "-- " + project + " << entry_event.data.productName >>"));
                String name = "n" + i;
                results.add(pool.submit(() -> ("Hi " + name + "-- " + project + " " + name).equals(renderer.render(
                        "Hi << entry_event.data.productName >>{% render 'footer', entry_event: entry_event %}", purchase(name), snippets))));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
        assertThrows(TemplateException.class, () -> renderer.render("{% render 'footer' %}", Map.of()),
                "a render without partials sees none of the others'");
    }

    @Test
    void sharedRendererHasNoCrossTalkBetweenThreads() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                String name = "p" + i;
                // several templates per thread, with loops and filters, so cached parsed templates are reused across contexts
                String source = switch (i % 3) {
                    case 0 -> "Thanks << entry_event.data.productName >>";
                    case 1 -> "Thanks {% for c in (1..2) %}{% if forloop.first %}{{ entry_event.data.productName | upcase | downcase }}{% endif %}{% endfor %}";
                    default -> "Thanks {{ entry_event.data.productName | truncate: 20 | default: 'x' }}";
                };
                results.add(pool.submit(() -> ("Thanks " + name).equals(renderer.render(source, purchase(name)))));
            }
            for (Future<Boolean> r : results) {
                assertTrue(r.get());
            }
        } finally {
            pool.shutdown();
        }
    }
}
