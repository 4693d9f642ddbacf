package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import dev.journey.templates.liquid.CompiledTemplate;
import dev.journey.templates.liquid.ParseCache;
import liqp.Template;

class ParseCacheTest {
    private static final liqp.TemplateParser PARSER = LiquidParsers.parser(TemplateLimits.DEFAULT, null);

    private static Template parsed(String source) {
        return PARSER.parse("x");
    }

    private static CompiledTemplate compiled(Template tree) {
        return CompiledTemplate.compile(PARSER, tree);
    }

    private static CompiledTemplate template(ParseCache cache, String source) {
        return cache.template(source, ParseCacheTest::parsed, ParseCacheTest::compiled);
    }

    @Test
    void theCacheIsBoundedByTheCharactersOfItsSourcesAndDropsTheLeastRecentlyUsedFirst() {
        ParseCache cache = new ParseCache(10_000);
        String a = "a".repeat(4_000);
        String b = "b".repeat(4_000);
        String c = "c".repeat(4_000);
        CompiledTemplate first = template(cache, a);
        template(cache, b);
        assertSame(first, template(cache, a), "cached");
        template(cache, c);
        assertEquals(8_000, cache.cachedChars(), "b, the least recently used, made room for c");
        assertSame(first, template(cache, a));
        assertTrue(cache.cachedChars() <= 10_000);
        assertNotSame(first, cache.partial(a, ParseCacheTest::parsed, ParseCacheTest::compiled),
                "a partial with the same text is kept apart");
    }

    @Test
    void noneCachesNothing() {
        assertNotSame(template(ParseCache.NONE, "x"), template(ParseCache.NONE, "x"));
        assertEquals(0, ParseCache.NONE.cachedChars());
        assertEquals(0, ParseCache.NONE.parses());
    }

    @Test
    void aSourceIsParsedOnceForEveryThreadAndCompiledOncePerThread() throws Exception {
        ParseCache cache = new ParseCache(10_000);
        CompiledTemplate here = template(cache, "Hello {{ name }}");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<CompiledTemplate>> elsewhere = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                elsewhere.add(pool.submit(() -> template(cache, "Hello {{ name }}")));
            }
            for (Future<CompiledTemplate> other : elsewhere) {
                assertNotSame(here, other.get(), "a compiled template keeps per-render state: one per thread");
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, cache.parses(), "the other threads compiled the shared parse instead of parsing again");
    }

    @Test
    void threadsRenderingTheSameTemplateAtOnceEachGetTheirOwnResult() throws Exception {
        TemplateRenderer renderer = new TemplateRenderer();
        Map<String, String> fields = Map.of("body",
                "{% for item in items %}<< item.name | upcase >>{% unless forloop.last %}, {% endunless %}{% endfor %}"
                        + " for {{ name | default: 'friend' }}{% include 'footer' %}");
        Partials partials = name -> "— {{ name }}";
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> renders = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                int n = i;
                renders.add(pool.submit(() -> {
                    Map<String, Object> context = Map.of("name", "user" + n,
                            "items", List.of(Map.of("name", "a" + n), Map.of("name", "b" + n)));
                    RenderResult result = renderer.renderFields(fields, context, partials);
                    assertTrue(result.errors().isEmpty(), result.errors().toString());
                    return result.rendered().get("body");
                }));
            }
            for (int i = 0; i < renders.size(); i++) {
                assertEquals("A" + i + ", B" + i + " for user" + i + "— user" + i, renders.get(i).get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void messagesFillTheRenderersCacheAndPreviewsAndValidationDoNot() {
        TemplateRenderer renderer = new TemplateRenderer();
        String draft = "Hello {{ user.name | default: 'friend' }} " + "x".repeat(1_000);
        renderer.preview(Map.of("body", draft), Map.of(), Partials.NONE);
        renderer.validate(Map.of("body", draft));
        assertEquals(0, renderer.cachedChars(), "previews and validation of drafts are not cached");
        renderer.renderFields(Map.of("body", draft), Map.of());
        assertEquals(draft.length(), renderer.cachedChars());
    }
}
