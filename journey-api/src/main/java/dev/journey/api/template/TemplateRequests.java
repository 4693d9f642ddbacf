package dev.journey.api.template;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.templates.Translations;
import dev.journey.worker.dsl.TranslationsJson;

/** Reading the parts of template requests that several endpoints share, with the JSON path of anything wrong. */
final class TemplateRequests {
    static final int MAX_NAME = 200;
    static final int MAX_FIELDS = 50;

    private TemplateRequests() {}

    static JsonNode object(JsonNode body, String expected) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("the body must be a JSON object", List.of(new ApiError.Detail("", "expected " + expected)));
        }
        return body;
    }

    static String name(JsonNode body) {
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || name.asText().isBlank() || name.asText().length() > MAX_NAME) {
            throw ApiException.badRequest("invalid name", List.of(new ApiError.Detail("name", "must be a non-empty string of at most " + MAX_NAME + " characters")));
        }
        return name.asText().strip();
    }

    /** The request's {@code translations} and {@code defaultLocale} (shape only: 400 naming the path of each problem). */
    static Translations translations(JsonNode body) {
        List<ApiError.Detail> problems = new ArrayList<>();
        Translations translations = TranslationsJson.read(body, (path, problem) -> problems.add(new ApiError.Detail(path, problem)));
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid translations", problems);
        }
        return translations;
    }

    /** An object of field name to Liquid source, as {@code path}. */
    static Map<String, String> fields(JsonNode node, String path, boolean required) {
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badRequest("nothing to render", List.of(new ApiError.Detail(path, "must be an object of field name to Liquid source")));
            }
            return Map.of();
        }
        if (!node.isObject() || (required && node.isEmpty())) {
            throw ApiException.badRequest("invalid " + path, List.of(new ApiError.Detail(path, "must be an object of field name to Liquid source")));
        }
        if (node.size() > MAX_FIELDS) {
            throw ApiException.badRequest("too many fields", List.of(new ApiError.Detail(path, "at most " + MAX_FIELDS + " fields")));
        }
        Map<String, String> out = new LinkedHashMap<>();
        List<ApiError.Detail> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isTextual()) {
                problems.add(new ApiError.Detail(path + "." + f.getKey(), "must be a string"));
            } else {
                out.put(f.getKey(), f.getValue().asText());
            }
        }
        if (!problems.isEmpty()) {
            throw ApiException.badRequest("invalid " + path, problems);
        }
        return out;
    }
}
