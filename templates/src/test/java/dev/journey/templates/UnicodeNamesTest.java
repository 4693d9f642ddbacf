package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.journey.templates.liquid.UnicodeNames;

/** Property names in any script work like ASCII ones: in both delimiters, tags, partials, warnings and errors. */
class UnicodeNamesTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    private static Map<String, Object> event(Map<String, Object> data) {
        return Map.of("entry_event", Map.of("type", "purchase", "data", data), "user", Map.of("id", "u1"));
    }

    @Test
    void theIssuesTemplateRendersTheValueInBothDelimiters() {
        String angles = "<< entry_event.data.이름 | default: \"고객\" >>님, 감사합니다";
        assertEquals("민수님, 감사합니다", renderer.render(angles, event(Map.of("이름", "민수"))));
        assertEquals("고객님, 감사합니다", renderer.render(angles, event(Map.of())));
        assertEquals("민수님, 감사합니다", renderer.render("{{ entry_event.data.이름 | default: \"고객\" }}님, 감사합니다",
                event(Map.of("이름", "민수"))));
    }

    @Test
    void namesInEveryScript() {
        Map<String, Object> data = Map.of("名前", "花子", "имя", "Иван", "café", "noir", "नाम", "राम", "prénom_2", "Zoé",
                "ｎａｍｅ", "wide", "번호١٢", "arabic digits", "e\u0301clair", "decomposed");
        assertEquals("花子 Иван noir राम Zoé wide arabic digits decomposed", renderer.render(
                "<< entry_event.data.名前 >> {{ entry_event.data.имя }} << entry_event.data.café >> {{ entry_event.data.नाम }}"
                        + " << entry_event.data.prénom_2 >> {{ entry_event.data.ｎａｍｅ }} << entry_event.data.번호١٢ >>"
                        + " {{ entry_event.data.e\u0301clair }}", event(data)));
    }

    @Test
    void namesWorkInTagsAssignmentsLoopsAndConditions() {
        Map<String, Object> data = Map.of("상품들", List.of(Map.of("이름", "램프"), Map.of("이름", "의자")), "등급", "골드");
        assertEquals("램프,의자,|2|VIP|x", renderer.render(
                "{% for 상품 in entry_event.data.상품들 %}{{ 상품.이름 }},{% endfor %}|"
                        + "{% assign 개수 = entry_event.data.상품들 | size %}{{ 개수 }}|"
                        + "{% if entry_event.data.등급 == \"골드\" %}VIP{% endif %}|"
                        + "{% capture 메모 %}x{% endcapture %}{{ 메모 }}", event(data)));
        assertEquals("램프", renderer.render("{{ entry_event.data.상품들[0].이름 }}", event(data)));
        assertEquals("골드", renderer.render("{% echo entry_event.data.등급 %}", event(data)));
    }

    @Test
    void snippetsReadNamesInAnyScriptThroughRenderAndInclude() {
        Partials partials = Partials.of(Map.of("인사", "안녕 << 이름 >>", "머리", "{{ entry_event.data.이름 }}님"));
        RenderResult result = renderer.renderFields(Map.of(
                        "render", "{% render '인사', 이름: entry_event.data.이름 %}",
                        "include", "{% include '머리' %}"),
                event(Map.of("이름", "민수")), partials);
        assertTrue(result.ok(), result.errors().toString());
        assertEquals("안녕 민수", result.rendered().get("render"));
        assertEquals("민수님", result.rendered().get("include"));
    }

    @Test
    void plainTextStringsAndRawAreUntouched() {
        String source = "안녕하세요 {{ \"문자열 '이름' 그대로\" }} {% raw %}{{ 이름 }}{% endraw %} {% comment %}{{ 주석 }}{% endcomment %}끝";
        assertEquals("안녕하세요 문자열 '이름' 그대로 {{ 이름 }} 끝", renderer.render(source, Map.of()));
        assertEquals("a.이름.b", renderer.render("{{ 'a.이름.b' }}", Map.of()));
    }

    @Test
    void aNameThatLooksLikeAKeywordIsStillAName() {
        // each stand-in reads as a letter found in no keyword, so "인" can never read as "in"
        assertEquals("1", renderer.render("{% for 인 in (1..1) %}{{ 인 }}{% endfor %}", Map.of()));
        assertEquals("x", renderer.render("{{ entry_event.data.ándd }}", event(Map.of("ándd", "x"))));
    }

    @Test
    void previewWarningsNameTheUnicodePath() {
        RenderResult result = renderer.preview(Map.of("body", "<< entry_event.data.이름 | default: \"고객\" >>님 {{ user.등급 }}"),
                event(Map.of()), Partials.NONE);
        assertEquals("고객님 ", result.rendered().get("body"));
        assertEquals(List.of("entry_event.data.이름 is not defined; the default '고객' was used", "user.등급 is not defined"),
                result.warnings().stream().map(TemplateWarning::message).toList());
    }

    @Test
    void errorsAfterANameKeepTheirLineAndColumnAndNameIt() {
        TemplateException e = assertThrows(TemplateException.class,
                () -> renderer.render("첫 줄\n{{ entry_event.data.이름 }} << entry_event.data.이름 | 외침 >>", Map.of()));
        assertEquals(2, e.line());
        assertEquals(50, e.column(), e.getMessage()); // the "|" before the filter, as for an ASCII name
        assertTrue(e.getMessage().contains("'외침'"), e.getMessage());
        TemplateException tag = assertThrows(TemplateException.class, () -> renderer.render("ab {% 태그 %}", Map.of()));
        assertTrue(tag.getMessage().contains("there is no tag named '태그'"), tag.getMessage());
    }

    @Test
    void emojiAndSymbolsAreNotNameCharacters() {
        assertThrows(TemplateException.class, () -> renderer.render("{{ entry_event.data.🎉 }}", Map.of()));
        assertThrows(TemplateException.class, () -> renderer.render("{{ entry_event.data.a★ }}", Map.of()));
        assertEquals("<< entry_event.data.🎉 >>", AngleBrackets.translate("<< entry_event.data.🎉 >>"));
        assertFalse(UnicodeNames.isNameChar("\u200D".codePointAt(0)), "zero-width joiner");
        assertFalse(UnicodeNames.isNameChar("\uFE0F".codePointAt(0)), "variation selector");
        assertFalse(UnicodeNames.isNameChar("・".codePointAt(0)), "katakana middle dot is punctuation");
    }

    @Test
    void theCharacterRuleAndItsRegularExpressionAgree() {
        Pattern nameChar = Pattern.compile(UnicodeNames.NAME_CHAR_CLASS);
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isDefined(cp) || Character.isSurrogate((char) cp) && cp <= 0xFFFF) {
                continue;
            }
            int c = cp;
            assertEquals(UnicodeNames.isNameChar(c), nameChar.matcher(new String(Character.toChars(c))).matches(),
                    () -> "U+" + Integer.toHexString(c));
        }
    }
}
