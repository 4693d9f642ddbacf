package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.templates.liquid.CompiledTemplate;
import dev.journey.templates.liquid.ParseCache;

class ParseCacheTest {
    private static final liqp.TemplateParser PARSER = LiquidParsers.parser(TemplateLimits.DEFAULT, null);

    private static CompiledTemplate compiled() {
        return CompiledTemplate.compile(PARSER, PARSER.parse("x"));
    }

    @Test
    void theCacheIsBoundedByTheCharactersOfItsSourcesAndDropsTheLeastRecentlyUsedFirst() {
        ParseCache cache = new ParseCache(10_000);
        String a = "a".repeat(4_000);
        String b = "b".repeat(4_000);
        String c = "c".repeat(4_000);
        CompiledTemplate first = cache.template(a, ParseCacheTest::compiled);
        cache.template(b, ParseCacheTest::compiled);
        assertSame(first, cache.template(a, ParseCacheTest::compiled), "cached");
        cache.template(c, ParseCacheTest::compiled);
        assertEquals(8_000, cache.cachedChars(), "b, the least recently used, made room for c");
        assertSame(first, cache.template(a, ParseCacheTest::compiled));
        assertTrue(cache.cachedChars() <= 10_000);
        assertNotSame(first, cache.partial(a, ParseCacheTest::compiled), "a partial with the same text is kept apart");
    }

    @Test
    void noneCachesNothing() {
        assertNotSame(ParseCache.NONE.template("x", ParseCacheTest::compiled), ParseCache.NONE.template("x", ParseCacheTest::compiled));
        assertEquals(0, ParseCache.NONE.cachedChars());
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
