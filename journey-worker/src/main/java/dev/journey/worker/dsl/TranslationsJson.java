package dev.journey.worker.dsl;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.Translations;

/**
 * A template's {@code "translations": {"ko": {"title": …, "body": …}}} and {@code "defaultLocale": "en"}
 * read from JSON — a journey's message step, a stored template, a preview request alike — with
 * each problem of shape reported by its path ({@code translations.ko.body}); what the variants
 * say is checked by {@link dev.journey.templates.TemplateRenderer#validate(Map, Translations)}.
 */
public final class TranslationsJson {
    private TranslationsJson() {}

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The translations in stored JSON that was checked when saved (null: none). */
    public static Translations read(String stored) {
        if (stored == null) {
            return Translations.NONE;
        }
        try {
            return read(JSON.readTree(stored), (path, problem) -> {
                throw new IllegalStateException("stored translations are invalid at " + path + ": " + problem);
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored translations cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** The translations in {@code holder} ({@link Translations#NONE} when it has none); {@code problem} gets (path, message). */
    public static Translations read(JsonNode holder, BiConsumer<String, String> problem) {
        JsonNode defaultLocale = holder == null ? null : holder.get("defaultLocale");
        JsonNode translations = holder == null ? null : holder.get("translations");
        String locale = null;
        if (defaultLocale != null && !defaultLocale.isNull()) {
            if (defaultLocale.isTextual()) {
                locale = defaultLocale.asText();
            } else {
                problem.accept("defaultLocale", "must be a language tag such as \"en\"");
            }
        }
        Map<String, Map<String, String>> variants = new LinkedHashMap<>();
        if (translations != null && !translations.isNull()) {
            if (!translations.isObject()) {
                problem.accept("translations", "must be an object of locale to fields, such as {\"ko\": {\"body\": \"…\"}}");
            } else {
                for (Iterator<Map.Entry<String, JsonNode>> it = translations.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> variant = it.next();
                    variants.put(variant.getKey(), fields(variant.getValue(), "translations." + variant.getKey(), problem));
                }
            }
        }
        return locale == null && variants.isEmpty() ? Translations.NONE : new Translations(locale, variants);
    }

    private static Map<String, String> fields(JsonNode node, String path, BiConsumer<String, String> problem) {
        if (!node.isObject()) {
            problem.accept(path, "must be an object of field name to Liquid source");
            return Map.of();
        }
        Map<String, String> fields = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> {
            if (f.getValue().isTextual()) {
                fields.put(f.getKey(), f.getValue().asText());
            } else {
                problem.accept(path + "." + f.getKey(), "must be a string of Liquid");
            }
        });
        return fields;
    }
}
