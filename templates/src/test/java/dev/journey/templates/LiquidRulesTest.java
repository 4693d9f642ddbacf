package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Shopify Liquid's rules that liqp lacks, each as a class of behaviour (templates/README,
 * "Where liqp differs"): range literals wherever a value goes, {@code blank}/{@code empty} in
 * comparisons, and {@code contains} with nil or false.
 */
class LiquidRulesTest {
    private final TemplateRenderer renderer = new TemplateRenderer();
    private final Map<String, Object> data = Map.ofEntries(
            Map.entry("n", 4), Map.entry("neg", -3), Map.entry("text", "7 apples"), Map.entry("word", "many"),
            Map.entry("decimal", 2.9), Map.entry("수량", 3), Map.entry("none", List.of()), Map.entry("some", List.of("a", "b")),
            Map.entry("nothing", Map.of()), Map.entry("spaces", "  "), Map.entry("flag", false),
            Map.entry("tags", List.of("vip", "new")), Map.entry("title", "Hello"));

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '‖', quoteCharacter = '`', value = {
            "{{ (1..5) | join: ',' }} ‖ 1,2,3,4,5",
            "{{ ( 1 .. n ) | join: ',' }} ‖ 1,2,3,4",
            "{{ (neg..0) | reverse | join: ',' }} ‖ 0,-1,-2,-3",
            "{{ (decimal..4) | join: ',' }} ‖ 2,3,4",
            "{{ (text..9) | join: ',' }} ‖ 7,8,9",
            "{{ (word..2) | join: ',' }} ‖ 0,1,2",
            "{{ (missing..2) | join: ',' }} ‖ 0,1,2",
            "{{ (5..1) | size }} ‖ 0",
            "{{ (1..수량) | last }} ‖ 3",
            "{% assign r = (2..n) %}{{ r | first }}-{{ r | last }}-{{ r | size }} ‖ 2-4-3",
            "{% assign r = (1..3) %}{% if r == (1..3) %}same{% endif %}{% if r != (1..4) %} differ{% endif %} ‖ same differ",
            "{% for i in (1..3) %}{{ i }}{% endfor %} ‖ 123",
            "{{ 'a..b' }} {{ \"(1..2)\" }} ‖ a..b (1..2)",
            "{% raw %}{{ (1..2) }}{% endraw %} ‖ {{ (1..2) }}",
            "(1..2) in text ‖ (1..2) in text",
            "{% if 1 <> 2 %}differ{% endif %} ‖ differ",
    })
    void rangeLiteralsGoWhereverAValueGoes(String template, String expected) {
        assertEquals(expected, renderer.render(template, data));
    }

    @Test
    void rangeLiteralsInsideTheLiquidTag() {
        assertEquals("12|3", renderer.render("{% liquid\nfor i in (1..2)\necho i\nendfor\nassign r = (3..3)\necho '|'\necho r | join: ','\n%}", data));
    }

    @Test
    void aRangeLongerThanTheLoopLimitIsAnError() {
        TemplateRenderer small = new TemplateRenderer(new TemplateLimits(64 * 1024, 100_000, 100, 1_000));
        assertEquals("100", small.render("{{ (1..100) | size }}", data));
        TemplateException e = assertThrows(TemplateException.class, () -> small.render("{{ (1..1000000000) | size }}", data));
        assertTrue(e.getMessage().contains("100"), e.getMessage());
    }

    @Test
    void columnsAfterARangeStayTrue() {
        TemplateException e = assertThrows(TemplateException.class, () -> renderer.render("{{ (1..3) | shout }}", data));
        assertEquals(1, e.line());
        assertEquals(11, e.column(), e.getMessage());
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '‖', quoteCharacter = '`', value = {
            "nil == blank ‖ true", "missing == blank ‖ true", "flag == blank ‖ true", "false == blank ‖ true",
            "'' == blank ‖ true", "spaces == blank ‖ true", "none == blank ‖ true", "nothing == blank ‖ true",
            "'a' == blank ‖ false", "some == blank ‖ false", "0 == blank ‖ false", "true == blank ‖ false",
            "blank == nil ‖ true", "nil != blank ‖ false", "some != blank ‖ true", "some <> blank ‖ true",
            "'' == empty ‖ true", "none == empty ‖ true", "nothing == empty ‖ true",
            "nil == empty ‖ false", "flag == empty ‖ false", "spaces == empty ‖ false", "some == empty ‖ false",
            "blank < 1 ‖ false", "blank >= 1 ‖ false", "1 > empty ‖ false", "1 <= empty ‖ false",
            "1 < 2 ‖ true", "'b' > 'a' ‖ true", "n == 4 ‖ true", "n != 4 ‖ false",
    })
    void blankAndEmptyCompareAsShopifyDoes(String condition, String expected) {
        assertEquals(expected, renderer.render("{% if " + condition + " %}true{% else %}false{% endif %}", data));
        assertEquals(expected, renderer.render("{% assign b = blank %}{% assign e = empty %}{% if "
                + condition.replace("blank", "b").replace("empty", "e") + " %}true{% else %}false{% endif %}", data),
                "through a variable");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '‖', quoteCharacter = '`', value = {
            "tags contains 'vip' ‖ true", "tags contains 'old' ‖ false", "title contains 'ell' ‖ true",
            "tags contains nil ‖ false", "tags contains missing ‖ false", "tags contains false ‖ false",
            "title contains nil ‖ false", "missing contains 'a' ‖ false", "flag contains 'a' ‖ false",
    })
    void containsWithNilOrFalseIsFalse(String condition, String expected) {
        assertEquals(expected, renderer.render("{% if " + condition + " %}true{% else %}false{% endif %}", data));
    }
}
