package dev.journey.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.journey.templates.liquid.LiquidParsers;
import liqp.Template;
import liqp.TemplateParser;
import liqp.antlr.NameResolver;
import liqp.exceptions.LiquidException;

/**
 * Renders Liquid templates ({@code {{ }}} and {@code << >>}) for messages. Safe to share between
 * threads: liqp's parser is immutable, but a parsed {@link Template} keeps per-render state, so
 * parsed templates are cached per thread.
 */
public final class TemplateRenderer {
    private static final int CACHE_PER_THREAD = 256;

    private final TemplateParser parser;
    private final TemplateLimits limits;
    private final ThreadLocal<Map<String, Template>> parsed = ThreadLocal.withInitial(() ->
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Template> eldest) {
                    return size() > CACHE_PER_THREAD;
                }
            });

    public TemplateRenderer() {
        this(TemplateLimits.DEFAULT);
    }

    public TemplateRenderer(TemplateLimits limits) {
        this(limits, null);
    }

    /**
     * A renderer whose {@code {% render %}} and {@code {% include %}} read partials through
     * {@code partials} (for example a project's snippets); {@code null} for none.
     */
    public TemplateRenderer(TemplateLimits limits, NameResolver partials) {
        this.limits = limits;
        this.parser = LiquidParsers.parser(limits, partials);
    }

    /** Renders one template; throws {@link TemplateException} with line and column when it cannot. */
    public String render(String source, Map<String, Object> context) {
        Template template = parse(source);
        try {
            return template.renderUnguarded(context);
        } catch (LiquidException e) {
            throw new TemplateException(e.getMessage(), e.line, e.charPositionInLine + 1, e);
        } catch (RuntimeException e) {
            throw new TemplateException(describe(e), 0, 0, e);
        }
    }

    /** Renders every field; a field that fails is reported in {@code errors}, never thrown. */
    public RenderResult renderFields(Map<String, String> fields, Map<String, Object> context) {
        Map<String, String> rendered = new LinkedHashMap<>();
        List<TemplateError> errors = new ArrayList<>();
        fields.forEach((field, source) -> {
            try {
                rendered.put(field, render(source == null ? "" : source, context));
            } catch (TemplateException e) {
                errors.add(new TemplateError(field, e.line(), e.column(), e.getMessage()));
            }
        });
        return new RenderResult(rendered, errors, List.of());
    }

    /** Parses every field without rendering: the errors a marketer must fix before publishing. */
    public List<TemplateError> validate(Map<String, String> fields) {
        List<TemplateError> errors = new ArrayList<>();
        fields.forEach((field, source) -> {
            try {
                parse(source == null ? "" : source);
            } catch (TemplateException e) {
                errors.add(new TemplateError(field, e.line(), e.column(), e.getMessage()));
            }
        });
        return errors;
    }

    private Template parse(String source) {
        if (source.length() > limits.maxTemplateBytes()) {
            throw new TemplateException("template is longer than " + limits.maxTemplateBytes() + " characters", 0, 0, null);
        }
        Map<String, Template> cache = parsed.get();
        Template template = cache.get(source);
        if (template == null) {
            try {
                template = parser.parse(AngleBrackets.translate(source));
            } catch (LiquidException e) {
                throw new TemplateException(e.getMessage(), e.line, e.charPositionInLine + 1, e);
            } catch (RuntimeException e) {
                throw new TemplateException(describe(e), 0, 0, e);
            }
            cache.put(source, template);
        }
        return template;
    }

    private static String describe(RuntimeException e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
