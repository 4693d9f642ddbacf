package dev.journey.templates;

import java.util.List;
import java.util.Map;

/** The rendered text of each field, or the errors that stopped it. */
public record RenderResult(Map<String, String> rendered, List<TemplateError> errors, List<TemplateWarning> warnings) {
    public boolean ok() {
        return errors.isEmpty();
    }
}
