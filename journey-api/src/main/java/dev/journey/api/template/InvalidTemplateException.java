package dev.journey.api.template;

import java.util.List;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;
import dev.journey.templates.TemplateError;

/** A template or snippet that does not parse, refused on save with 422: each problem with its field path, line and column. */
public class InvalidTemplateException extends ApiException {
    /** Each error's field is its whole path. */
    public InvalidTemplateException(List<TemplateError> errors) {
        this("", errors);
    }

    public InvalidTemplateException(String pathPrefix, List<TemplateError> errors) {
        super(422, "invalid_template", "the template has errors; nothing was saved", errors.stream()
                .map(e -> e.line() == 0 ? new ApiError.Detail(pathPrefix + e.field(), e.message())
                        : new ApiError.Detail(pathPrefix + e.field(), e.message(), e.line(), e.column()))
                .toList());
    }
}
