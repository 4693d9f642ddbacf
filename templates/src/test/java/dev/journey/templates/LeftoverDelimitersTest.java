package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Template delimiters never reach a customer as text: an error at save and in preview, a failed message at send. */
class LeftoverDelimitersTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    private List<TemplateError> validate(String source) {
        return renderer.validate(Map.of("body", source));
    }

    private static String describe(TemplateError e) {
        return e.line() + ":" + e.column() + " " + e.message();
    }

    @Test
    void anAngleOutputThatCannotBeReadIsAnErrorAtSaveWithLineAndColumn() {
        List<TemplateError> errors = validate("Hi\nThanks << user.name | default \"x\" >>!");
        assertEquals(1, errors.size(), errors.toString());
        assertEquals("2:8 line 2, column 8: << user.name | default \"x\" >> is not a Liquid output (a variable or a value, then filters"
                + " such as | default: 'x') and would be sent as written; to send it as text, write it inside {% raw %}…{% endraw %}",
                describe(errors.get(0)));
        assertEquals("1:5 line 1, column 5: << entry_event.data.🎉 >> is not a Liquid output (a variable or a value, then filters"
                + " such as | default: 'x') and would be sent as written; to send it as text, write it inside {% raw %}…{% endraw %}",
                describe(validate("Hey << entry_event.data.🎉 >>").get(0)));
    }

    @Test
    void unbalancedDelimitersAreErrorsAtSave() {
        assertEquals("1:10 the << on line 1, column 10 is never closed (missing >>)", describe(validate("Welcome, << user.name").get(0)));
        assertEquals("1:19 line 1, column 19: this }} closes nothing and would be sent as written; to send it, write it inside {% raw %}…{% endraw %}",
                describe(validate("Hi {{ user.name }}}} there").get(0)));
        assertEquals("2:3 line 2, column 3: this %} closes nothing and would be sent as written; to send it, write it inside {% raw %}…{% endraw %}",
                describe(validate("x\nA %} B").get(0)));
        // an unclosed {{ was already a syntax error with its position
        assertEquals("1:4 the {{ on line 1, column 4 is never closed (missing }})", describe(validate("Hi {{ user.name").get(0)));
    }

    @Test
    void plainTextAnglesBracesAndRawStayLegal() {
        for (String fine : List.of("1 << 2 and a >> b", "Use << and >> to shift", "<<< x >>>", "<< Back", "Read more >>", "a <<< b << c >>",
                "{\"order\": {\"id\": \"{{ entry_event.data.id }}\"}}", "<style>.a{width:50%}@media x{.b{color:red}}</style>",
                "{% raw %}Write << name >> or {{ name }} }} %}{% endraw %}", "{% comment %}}} << x >>{% endcomment %}ok",
                "{{ \"a }} b\" | remove: '}}' }} and {% if true %}{% endif %}", "<< entry_event.data.이름 | default: \"고객\" >>님")) {
            assertEquals(List.of(), validate(fine), fine);
            RenderResult result = renderer.renderFields(Map.of("body", fine), Map.of("entry_event", Map.of("data", Map.of("id", 7))));
            assertEquals(List.of(), result.errors(), fine);
        }
        assertEquals("Write << name >> or {{ name }} }} %}",
                renderer.renderFields(Map.of("body", "{% raw %}Write << name >> or {{ name }} }} %}{% endraw %}"), Map.of()).rendered().get("body"));
    }

    @Test
    void renderedTextHoldingDelimitersIsAnErrorNamingWhereInTheRenderedText() {
        Map<String, Object> context = Map.of("entry_event", Map.of("data", Map.of("note", "{{ first_name }}, hello", "name", "<< nick >>")));
        RenderResult result = renderer.renderFields(Map.of("body", "Note:\n  << entry_event.data.note >>"), context);
        assertEquals("2:3 the rendered body still holds template delimiters at line 2, column 3: {{ first_name }}, hello",
                describe(result.errors().get(0)));
        assertEquals(Map.of(), result.rendered(), "a field has either its text or an error");
        assertEquals("the rendered title still holds template delimiters at line 1, column 4: << nick >>",
                renderer.renderFields(Map.of("title", "Hi {{ entry_event.data.name }}"), context).errors().get(0).message());
        // a literal that prints a delimiter passes the save check (it is not literal text) and fails when rendered
        assertEquals(List.of(), validate("{{ '{{' }}"));
        assertEquals("the rendered body still holds template delimiters at line 1, column 1: {{",
                renderer.renderFields(Map.of("body", "{{ '{{' }}"), Map.of()).errors().get(0).message());
    }

    @Test
    void previewReportsLeftoversToo() {
        RenderResult preview = renderer.preview(Map.of("body", "Hi << user.name | default \"x\" >>"), Map.of(), Partials.NONE);
        assertEquals(1, preview.errors().size());
        assertEquals(1, preview.errors().get(0).line());
        assertEquals(4, preview.errors().get(0).column());
        assertTrue(preview.errors().get(0).message().contains("is not a Liquid output"), preview.errors().toString());
    }

    @Test
    void plainRenderStaysPlainLiquid() {
        // render() is Liquid as the conformance suite measures it; the rule belongs to messages
        assertEquals("a }} b", renderer.render("a }} b", Map.of()));
    }
}
