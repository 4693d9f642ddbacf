package dev.journey.api.template;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.journey.templates.TemplateError;

/**
 * A template or snippet that does not parse, refused on save with 422. The body is the API's one
 * error shape ({@code error}, {@code message}, {@code details[].path/message}) with the line and
 * column of each problem added, so an editor can point at it.
 */
public class InvalidTemplateException extends RuntimeException {
    private final List<Problem> problems;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Problem(String path, String message, int line, int column) {}

    public record Body(String error, String message, List<Problem> details) {}

    public InvalidTemplateException(String pathPrefix, List<TemplateError> errors) {
        super("the template has errors; nothing was saved");
        this.problems = errors.stream()
                .map(e -> new Problem(pathPrefix + e.field(), e.message(), e.line(), e.column()))
                .toList();
    }

    Body body() {
        return new Body("invalid_template", getMessage(), problems);
    }
}
