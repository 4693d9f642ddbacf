package dev.journey.api.error;

import java.io.IOException;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A JSON body with a NUL character (U+0000) in any string or key is refused with a 400 naming its path, for
 * the resources marked {@link NoNul}: PostgreSQL stores none in text or jsonb, and a save or lookup would
 * otherwise fail with a 500 (path and query parameters: {@link NoNulInput}).
 */
@Provider
@NoNul
public class NoNulBody implements ReaderInterceptor {
    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body instanceof JsonNode json) {
            String at = nul(json, "");
            if (at != null) {
                throw ApiException.badRequest("the body holds a NUL character", List.of(new ApiError.Detail(at, NoNulInput.PROBLEM)));
            }
        }
        return body;
    }

    /** The path of the first string or key holding a NUL, as {@code steps[2].template.body}; null when there is none. */
    static String nul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0 ? path : null;
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String at = nul(node.get(i), path + "[" + i + "]");
                if (at != null) {
                    return at;
                }
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                String at = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                if (field.getKey().indexOf('\u0000') >= 0) {
                    return at.replace('\u0000', '?');
                }
                at = nul(field.getValue(), at);
                if (at != null) {
                    return at;
                }
            }
        }
        return null;
    }
}
