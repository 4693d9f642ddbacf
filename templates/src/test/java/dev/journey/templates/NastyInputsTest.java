package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Whatever the template and whatever the context, rendering answers: text, or errors and warnings
 * by field. Nothing else may escape (the API turns anything else into a 500). Seeded, so a
 * failure reproduces; the seed is in the message.
 */
class NastyInputsTest {
    private static final String[] PIECES = {
        "{{", "}}", "{%", "%}", "<<", ">>", "<<<", "|", ":", ",", "'", "\"", "(", ")", "[", "]", "..", ".", "-", "\n", "\r", "\t",
        " ", "x", "user", "user.tags", "entry_event.data", "items", "0", "-1", "99999999999999999999", "1e308", "nil", "empty",
        "if", "endif", "for", "endfor", "in", "case", "when", "unless", "else", "elsif", "capture", "endcapture", "raw",
        "endraw", "comment", "endcomment", "render", "include", "liquid", "echo", "assign", "=", "==", "contains", "cycle",
        "tablerow", "break", "continue", "default", "date", "truncate", "json", "currency", "number_with_delimiter",
        "pluralize", "url_decode", "split", "sort", "map", "where", "slice", "divided_by", "times", "plus", "append", "size",
        "limit:", "offset:", "reversed", "with", "as", "for", "'KRW'", "'Asia/Seoul'", "'%Y'", "😀", "한글", "\u0000", "\uD800",
        "\\", "%", "{{ items | json }}", "{% render 'snip' %}", "{% include 'snip' %}", "{% for i in (1..5) %}", "{% endfor %}",
    };

    private static Map<String, Object> nastyContext(Random random) {
        Map<String, Object> data = new HashMap<>();
        data.put("amount", random.nextBoolean() ? 10000 : "not a number");
        data.put("nothing", null);
        data.put("big", Double.MAX_VALUE);
        data.put("nan", Double.NaN);
        data.put("deep", List.of(List.of(List.of(Map.of("k", Arrays.asList(1, null, "x"))))));
        Map<String, Object> context = new HashMap<>();
        context.put("entry_event", Map.of("data", data, "timestamp", random.nextBoolean() ? "garbage" : 1709600000000L));
        context.put("user", Map.of("id", "u", "tags", Map.of(), "timezone", random.nextBoolean() ? "Asia/Seoul" : "Bad/Zone"));
        context.put("items", Arrays.asList(1, "two", null, Map.of(), List.of()));
        context.put("x", random.nextInt(5) - 2);
        return context;
    }

    @Test
    void randomTemplatesNeverThrowOutOfRenderFieldsOrPreview() {
        TemplateRenderer renderer = new TemplateRenderer(new TemplateLimits(4096, 20_000, 1_000, 500));
        Partials partials = Partials.of(Map.of("snip", "S{{ x }}{% render 'snip' %}"));
        for (long seed = 1; seed <= 3000; seed++) {
            Random random = new Random(seed);
            StringBuilder source = new StringBuilder();
            int n = 1 + random.nextInt(14);
            for (int i = 0; i < n; i++) {
                source.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(3) == 0) {
                    source.append(' ');
                }
            }
            Map<String, String> fields = new HashMap<>();
            fields.put("body", source.toString());
            Map<String, Object> context = nastyContext(random);
            try {
                RenderResult result = seed % 2 == 0 ? renderer.preview(fields, context, partials) : renderer.renderFields(fields, context, partials);
                assertNotNull(result);
                assertTrue(result.rendered().containsKey("body") ^ !result.errors().isEmpty(), "either text or an error, seed " + seed);
                for (TemplateError e : result.errors()) {
                    assertTrue(e.message() != null && !e.message().isBlank(), "message, seed " + seed);
                }
            } catch (Throwable t) {
                throw new AssertionError("seed " + seed + " template " + source + " escaped: " + t, t);
            }
        }
    }

    @Test
    void handPickedNastyTemplates() {
        TemplateRenderer renderer = new TemplateRenderer(new TemplateLimits(4096, 20_000, 1_000, 500));
        List<String> nasty = new ArrayList<>(List.of("", "{{", "}}", "{%", "%}", "{% %}", "{{ }}", "<<>>", "<< >>", "{% if %}", "{% endfor %}",
                "{% for %}", "{% raw %}", "{% comment %}", "{% liquid\r if %}", "{{ 'a' | truncate: -5 }}", "{{ 1 | date: nil, nil }}",
                "{{ x | divided_by: 0.0 }}", "{{ 99999999999999999999 | times: 99999999999999999999 }}",
                "{{ entry_event.data.big | number_with_delimiter }}", "{{ entry_event.data.nan | currency: 'USD' }}",
                "{{ entry_event.data.nan | date: '%Y' }}", "{{ items | json }}", "{{ items | sort | join }}",
                "{% render %}", "{% render x %}", "{% include %}", "{% include 'none' %}", "{% cycle %}", "{% tablerow %}",
                "{{ '\uD800' | url_encode }}", "{{ '%' | url_decode }}", "{{ entry_event | json }}", "{% for i in (1..99999999999) %}{% endfor %}",
                "{% assign a = (1..3) %}", "{{ (1..3) }}", "{{ 1 | pluralize }}", "{{ user.tags[nil] }}", "{{ items[99999999999] }}"));
        nasty.add("{% if x %}".repeat(500));
        nasty.add("{{ x ".repeat(200));
        nasty.add("<<".repeat(1000));
        for (String source : nasty) {
            Map<String, Object> context = nastyContext(new Random(source.hashCode()));
            RenderResult result = renderer.preview(Map.of("body", source), context, Partials.NONE);
            assertTrue(result.rendered().containsKey("body") ^ !result.errors().isEmpty(), source);
        }
    }
}
