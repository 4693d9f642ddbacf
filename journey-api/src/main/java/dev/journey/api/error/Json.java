package dev.journey.api.error;

import com.fasterxml.jackson.databind.JsonMappingException;

/** Jackson's failure location as the API's JSON path ({@code steps[2].duration}). */
public final class Json {
    private Json() {}

    public static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            } else if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            }
        }
        return path.toString();
    }
}
