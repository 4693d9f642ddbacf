package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Preview names every variable a template reads that the context lacks, and the default that stood in. */
class PreviewWarningsTest {
    private final TemplateRenderer renderer = new TemplateRenderer();

    /** The shape journey-worker's MessageContext gives every message. */
    private static Map<String, Object> messageContext() {
        return Map.of(
                "entry_event", Map.of("id", "42", "type", "purchase", "subjectType", "user", "subjectId", "u1",
                        "data", Map.of("amount", 10000, "items", List.of(Map.of("name", "Lamp", "price", 12000))),
                        "timestamp", "2024-03-05T10:00:00+09:00"),
                "user", Map.of("id", "u1", "tags", Map.of("tier", "gold")),
                "journey", Map.of("id", "j1", "name", "Thanks", "version", 3),
                "message", Map.of("id", "m1", "channel", "webhook"));
    }

    private List<String> warnings(String source) {
        RenderResult result = renderer.preview(Map.of("title", source), messageContext(), Partials.NONE);
        assertTrue(result.ok(), result.errors().toString());
        return result.warnings().stream().map(w -> w.field() + ": " + w.message()).toList();
    }

    @Test
    void everyVariableOfTheMessageContextRenders() {
        RenderResult result = renderer.preview(Map.of("body",
                "<< entry_event.id >> << entry_event.type >> << entry_event.subjectType >> << entry_event.subjectId >>"
                        + " << entry_event.data.amount | number_with_delimiter >> << entry_event.timestamp | date: '%H:%M' >>"
                        + " << user.id >> << user.tags.tier >> << journey.id >> << journey.name >> << journey.version >>"
                        + " << message.id >> << message.channel >>"
                        + "{% for item in entry_event.data.items %} {{ item.name }}={{ item.price | currency: 'KRW' }}{% endfor %}"),
                messageContext(), Partials.NONE);
        assertEquals("42 purchase user u1 10,000 10:00 u1 gold j1 Thanks 3 m1 webhook Lamp=₩12,000", result.rendered().get("body"));
        assertEquals(List.of(), result.warnings());
    }

    @Test
    void undefinedVariablesAreNamedWithTheirDefault() {
        assertEquals(List.of("title: entry_event.data.productName is not defined; the default 'friend' was used"),
                warnings("Thanks << entry_event.data.productName | default: 'friend' >>"));
        assertEquals(List.of("title: entry_event.data.coupon is not defined"), warnings("Code: {{ entry_event.data.coupon }}"));
        assertEquals(List.of("title: first_name is not defined; the default 'there' was used"),
                warnings("Hi {{ first_name | default: 'there' }}"));
        assertEquals(List.of("title: entry_event.data.items[0].color is not defined"),
                warnings("{% for item in entry_event.data.items %}{{ item.color }}{% endfor %}"));
        assertEquals(List.of("title: user.tags.vip is not defined"), warnings("{% if user.tags.vip %}VIP{% endif %}"));
    }

    @Test
    void definedButEmptyIsNotAWarningAndAssignsAreDefined() {
        assertEquals(List.of(), warnings("{% assign name = 'x' %}{{ name }}{% capture c %}y{% endcapture %}{{ c }}"));
        assertEquals(List.of(), warnings("{{ journey.name | default: 'x' }}{% for i in (1..2) %}{{ forloop.index }}{% endfor %}"));
    }

    @Test
    void warningsDoNotChangeWhatIsRendered() {
        String source = "Hi {{ user.name | default: 'there' }}, {{ entry_event.data.amount | currency: 'USD' }}";
        RenderResult preview = renderer.preview(Map.of("t", source), messageContext(), Partials.NONE);
        assertEquals(renderer.render(source, messageContext()), preview.rendered().get("t"));
    }
}
