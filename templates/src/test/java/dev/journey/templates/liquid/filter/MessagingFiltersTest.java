package dev.journey.templates.liquid.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.templates.TemplateException;
import dev.journey.templates.TemplateRenderer;

/** The filters marketers asked for, each with the examples templates/README.md shows. */
class MessagingFiltersTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    private String render(String source) {
        return render(source, Map.of());
    }

    private String render(String source, Map<String, Object> context) {
        return renderer.render(source, context);
    }

    @Test
    void numberWithDelimiter() {
        assertEquals("10,000", render("{{ 10000 | number_with_delimiter }}"));
        assertEquals("1,234,567.891", render("{{ 1234567.891 | number_with_delimiter }}"));
        assertEquals("-1,234,567.89", render("{{ -1234567.891 | number_with_delimiter: precision: 2 }}"));
        assertEquals("1,000.50", render("{{ 1000.5 | number_with_delimiter: precision: 2 }}"));
        assertEquals("1.234.567,5", render("{{ 1234567.5 | number_with_delimiter: locale: \"de\" }}"));
        assertEquals("1 234 567", render("{{ 1234567 | number_with_delimiter: delimiter: \" \" }}"));
        assertEquals("999", render("{{ 999 | number_with_delimiter }}"));
        assertEquals("0", render("{{ 0 | number_with_delimiter }}"));
        assertEquals("12,345", render("{{ '12345' | number_with_delimiter }}"), "numeric text");
        assertEquals("n/a", render("{{ 'n/a' | number_with_delimiter }}"), "not a number: unchanged");
        assertEquals("", render("{{ nothing | number_with_delimiter }}"));
        assertEquals("10,000", render("{{ entry_event.data.amount | number_with_delimiter }}",
                Map.of("entry_event", Map.of("data", Map.of("amount", 10000)))));
        assertThrows(TemplateException.class, () -> render("{{ 1 | number_with_delimiter: ',' }}"), "options are named");
    }

    @Test
    void currency() {
        assertEquals("₩10,000", render("{{ 10000 | currency: \"KRW\" }}"));
        assertEquals("$10,000.00", render("{{ 10000 | currency: \"USD\" }}"));
        assertEquals("$0.13", render("{{ 0.125 | currency: 'usd' }}"), "half up to the currency's decimals");
        assertEquals("₩1,235", render("{{ 1234.5 | currency: 'KRW' }}"));
        assertEquals("-€5.00", render("{{ -5 | currency: 'EUR' }}"));
        assertEquals("CHF 10.00", render("{{ 10 | currency: 'CHF' }}"));
        assertEquals("9,50\u00A0€", render("{{ 9.5 | currency: 'EUR', locale: 'de' }}"));
        assertEquals("$10,000", render("{{ 10000 | currency: 'USD', precision: 0 }}"));
        assertEquals("free", render("{{ 'free' | currency: 'USD' }}"));
        TemplateException unknown = assertThrows(TemplateException.class, () -> render("{{ 1 | currency: 'XYZ' }}"));
        assertTrue(unknown.getMessage().contains("unknown currency code 'XYZ'"), unknown.getMessage());
        assertThrows(TemplateException.class, () -> render("{{ 1 | currency }}"));
    }

    @Test
    void defaultCatchesNilFalseEmptyTextArraysAndHashes() {
        Map<String, Object> context = new HashMap<>();
        context.put("empty_list", List.of());
        context.put("empty_map", Map.of());
        context.put("empty_text", "");
        context.put("no", false);
        context.put("items", List.of("a"));
        assertEquals("x", render("{{ nothing | default: 'x' }}", context));
        assertEquals("x", render("{{ empty_list | default: 'x' }}", context));
        assertEquals("x", render("{{ empty_map | default: 'x' }}", context));
        assertEquals("x", render("{{ empty_text | default: 'x' }}", context));
        assertEquals("x", render("{{ no | default: 'x' }}", context));
        assertEquals("false", render("{{ no | default: 'x', allow_false: true }}", context));
        assertEquals("a", render("{{ items | default: 'x' }}", context));
    }

    @Test
    void urlEncodeAndDecode() {
        assertEquals("email+address+is+bob%40example.com%21", render("{{ 'email address is bob@example.com!' | url_encode }}"));
        assertEquals("%EC%B9%98%ED%82%A8+%26+beer", render("{{ '치킨 & beer' | url_encode }}"));
        assertEquals("a%2Ab~c", render("{{ 'a*b~c' | url_encode }}"));
        assertEquals("5", render("{{ 5 | url_encode }}"));
        assertEquals("치킨 & beer", render("{{ '%EC%B9%98%ED%82%A8+%26+beer' | url_decode }}"));
        assertEquals("100% sure%zz", render("{{ '100%+sure%zz' | url_decode }}"), "a lone % stays");
        assertEquals("", render("{{ nothing | url_decode }}"));
    }

    @Test
    void json() {
        Map<String, Object> data = new java.util.LinkedHashMap<>();
        data.put("productId", "123");
        data.put("amount", 10000);
        data.put("tags", List.of("a", "b"));
        assertEquals("{\"productId\":\"123\",\"amount\":10000,\"tags\":[\"a\",\"b\"]}",
                render("{{ data | json }}", Map.of("data", data)));
        assertEquals("\"say \\\"hi\\\" 안녕\"", render("{{ 'say \"hi\" 안녕' | json }}"));
        assertEquals("null", render("{{ nothing | json }}"));
        assertEquals("[1,2,3]", render("{{ '1,2,3' | split: ',' | json }}").replace("\"", ""));
        assertEquals("true", render("{{ true | json }}"));
    }

    @Test
    void truncateCountsWhatAReaderSees() {
        assertEquals("안녕하세…", render("{{ '안녕하세요 여러분' | truncate: 5, '…' }}"));
        assertEquals("안녕하세요", render("{{ '안녕하세요' | truncate: 5 }}"), "5 syllables fit in 5");
        assertEquals("👨‍👩‍👧🇰🇷🇺🇸", render("{{ '👨‍👩‍👧🇰🇷🇺🇸abc' | truncate: 3, '' }}"), "a family and two flags are 3");
        assertEquals("👍🏽👍🏽...", render("{{ '👍🏽👍🏽👍🏽👍🏽👍🏽👍🏽' | truncate: 5 }}"), "skin tones stay on their thumbs");
        assertEquals("é...", render("{{ 'e\u0301e\u0301e\u0301e\u0301e\u0301' | truncate: 4 }}").replace("e\u0301", "é"));
        assertEquals("Ground control to Major Tom. Ground control to ...",
                render("{{ 'Ground control to Major Tom. Ground control to Major Tom.' | truncate }}"), "ASCII as Shopify");
        for (int n = 0; n <= 12; n++) {
            String out = render("{{ '한글😀🇰🇷👨‍👩‍👧é\u0301abc' | truncate: " + n + ", '' }}");
            assertTrue(out.isEmpty() || !Character.isHighSurrogate(out.charAt(out.length() - 1)), "no half emoji at " + n);
            assertTrue(!out.endsWith("\u200D") && !out.endsWith("\uD83C\uDDF0"), "no broken sequence at " + n + ": " + out);
        }
    }

    @Test
    void pluralize() {
        assertEquals("1 item", render("{{ 1 }} {{ 1 | pluralize: 'item', 'items' }}"));
        assertEquals("items", render("{{ 3 | pluralize: 'item', 'items' }}"));
        assertEquals("items", render("{{ 0 | pluralize: 'item', 'items' }}"));
        assertEquals("item", render("{{ '1' | pluralize: 'item', 'items' }}"));
        assertEquals("items", render("{{ nothing | pluralize: 'item', 'items' }}"));
        assertEquals("items", render("{{ cart.size | pluralize: 'item', 'items' }}", Map.of("cart", List.of(1, 2))));
        assertThrows(TemplateException.class, () -> render("{{ 1 | pluralize: 'item' }}"));
    }

    @Test
    void dateReadsIsoWithOffsetAndUnixMillisOrSeconds() {
        Map<String, Object> context = Map.of("iso", "2024-03-05T10:00:00+09:00", "ms", 1709600000000L, "s", 1709600000L);
        assertEquals("2024-03-05 10:00 +0900", render("{{ iso | date: '%Y-%m-%d %H:%M %z' }}", context), "ISO keeps its offset");
        assertEquals("2024-03-05 01:00", render("{{ iso | date: '%Y-%m-%d %H:%M', 'UTC' }}", context));
        assertEquals("2024-03-05 00:53", render("{{ ms | date: '%Y-%m-%d %H:%M' }}", context), "milliseconds, UTC");
        assertEquals("2024-03-05 09:53", render("{{ ms | date: \"%Y-%m-%d %H:%M\", \"Asia/Seoul\" }}", context));
        assertEquals("2024-03-05 09:53", render("{{ s | date: '%Y-%m-%d %H:%M', '+09:00' }}", context), "seconds");
        assertEquals("2024-03-05 09:53", render("{{ '1709600000000' | date: '%Y-%m-%d %H:%M', 'Asia/Seoul' }}"));
        assertEquals("1973-03-03", render("{{ 100000000000 | date: '%Y-%m-%d' }}"), "10^11 is already milliseconds");
        assertEquals("5138-11-16", render("{{ 99999999999 | date: '%Y-%m-%d' }}"), "just below 10^11 is seconds");
        assertEquals("07/05/2006", render("{{ 1152098955 | date: '%m/%d/%Y' }}"));
        assertEquals("Mar 14, 16", render("{{ 'March 14, 2016' | date: '%b %d, %y' }}"), "liqp's parser for other text");
        assertEquals("", render("{{ nothing | date: '%Y' }}"));
    }

    @Test
    void dateUsesTheUsersTimezoneUnlessGivenOne() {
        Map<String, Object> context = Map.of("user", Map.of("id", "u1", "timezone", "Asia/Seoul"),
                "entry_event", Map.of("timestamp", "2024-03-05T00:53:20Z"));
        assertEquals("2024-03-05 09:53", render("{{ entry_event.timestamp | date: '%Y-%m-%d %H:%M' }}", context));
        assertEquals("2024-03-04 19:53", render("{{ entry_event.timestamp | date: '%Y-%m-%d %H:%M', 'America/New_York' }}", context));
        Map<String, Object> badZone = Map.of("user", Map.of("timezone", "Not/AZone"), "t", "2024-03-05T00:53:20Z");
        assertEquals("00:53", render("{{ t | date: '%H:%M' }}", badZone), "a bad user.timezone does not break the message");
        TemplateException e = assertThrows(TemplateException.class, () -> render("{{ 1 | date: '%Y', 'Mars/Base' }}"));
        assertTrue(e.getMessage().contains("unknown time zone 'Mars/Base'"), e.getMessage());
    }
}
