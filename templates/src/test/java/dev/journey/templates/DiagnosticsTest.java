package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** liqp's parser messages become ones a marketer can act on, at the right line and column. */
class DiagnosticsTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "‖", quoteCharacter = '"', textBlock = """
            line one\\n{% if x %}unclosed ‖ 2 ‖ 1 ‖ the {% if %} on line 2 is never closed (missing {% endif %})
            {% for i in x %}a ‖ 1 ‖ 1 ‖ the {% for %} on line 1 is never closed (missing {% endfor %})
            {% if x %}\\n  {% for a in b %}{% endif %} ‖ 2 ‖ 3 ‖ the {% for %} on line 2 is never closed (missing {% endfor %})
            a\\n{% endif %} ‖ 2 ‖ 1 ‖ line 2: {% endif %} has no matching {% if %} before it
            {% capture c %}x ‖ 1 ‖ 1 ‖ the {% capture %} on line 1 is never closed (missing {% endcapture %})
            Hi {{ user.name ‖ 1 ‖ 4 ‖ the {{ on line 1, column 4 is never closed (missing }})
            x\\n<< user.name | shout >> ‖ 2 ‖ 14 ‖ line 2, column 14: there is no filter named 'shout'
            {% foo %} ‖ 1 ‖ 4 ‖ line 1, column 4: there is no tag named 'foo'
            {{ 1 | plus }} ‖ 1 ‖ 6 ‖ line 1, column 6: the filter 'plus' takes 1 argument(s), but 0 were given
            {{ 1 | divided_by: 0 }} ‖ 1 ‖ 6 ‖ line 1, column 6: divided by 0
            a\\n{% render 'missing' %} ‖ 2 ‖ 1 ‖ line 2, column 1: there is no snippet named 'missing'
            {{ x | }} ‖ 1 ‖ 1 ‖ line 1, column 1: this output cannot be read: {{ x | }} — check its spelling, quotes and filters (near '{{')
            """)
    void explains(String source, int line, int column, String message) {
        TemplateException e = assertThrows(TemplateException.class, () -> renderer.render(source.replace("\\n", "\n"), Map.of()));
        assertEquals(message, e.getMessage());
        assertEquals(line, e.line(), "line");
        assertEquals(column, e.column(), "column");
    }

    @org.junit.jupiter.api.Test
    void errorsInsideASnippetPointAtTheSnippetsOwnLine() {
        Partials snippets = Partials.of(Map.of("card", "ok\n{% for p in products %}<< p.name >>", "sig", "a\n\n{{ 1 | shout }}"));
        TemplateException render = assertThrows(TemplateException.class,
                () -> renderer.render("Hello\n  {% render 'card' %}", Map.of(), snippets));
        assertEquals("line 2, column 3: in snippet 'card': the {% for %} on line 2 is never closed (missing {% endfor %})", render.getMessage());
        assertEquals(2, render.line());
        assertEquals(3, render.column());
        TemplateException include = assertThrows(TemplateException.class,
                () -> renderer.render("{% include 'sig' %}", Map.of(), snippets));
        assertEquals("line 1, column 1: in snippet 'sig': line 3, column 6: there is no filter named 'shout'", include.getMessage());
    }

    @org.junit.jupiter.api.Test
    void validationFindsUnknownFiltersButNotDataProblems() {
        var errors = renderer.validate(Map.of("title", "Hi\n{% if x %}<< name | shout >>{% endif %}"));
        assertEquals(1, errors.size());
        assertEquals("title", errors.get(0).field());
        assertEquals(2, errors.get(0).line());
        assertEquals("line 2, column 19: there is no filter named 'shout'", errors.get(0).message());
        assertEquals(1, renderer.validate(Map.of("b", "{{ 1 | plus }}")).size(), "wrong number of arguments");
        assertEquals(0, renderer.validate(Map.of("b", "{{ amount | currency: code }} {{ 1 | divided_by: zero }} {% render 'any' %}")).size(),
                "depends on the data, or on snippets checked when they are saved");
        assertEquals(0, renderer.validate(Map.of("b", "{% for i in (1..100000) %}{% endfor %}")).size());
    }
}
