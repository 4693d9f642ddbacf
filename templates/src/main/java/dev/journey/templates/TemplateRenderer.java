package dev.journey.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.journey.templates.liquid.CompiledTemplate;
import dev.journey.templates.liquid.ParseCache;
import dev.journey.templates.liquid.RenderBudget;
import dev.journey.templates.liquid.Undefined;
import dev.journey.templates.liquid.LexerInput;
import liqp.TemplateParser;
import liqp.antlr.NameResolver;

/**
 * Renders Liquid templates ({@code {{ }}} and {@code << >>}) for messages. Safe to share between
 * threads: liqp's parser is immutable and its parses are shared, but a compiled template keeps
 * per-render state, so compiled templates ({@link CompiledTemplate}) are cached per thread
 * ({@link ParseCache}). Partials are given per render ({@link Partials}), so one renderer and its
 * cache serve every project.
 */
public final class TemplateRenderer {
    /** Validation renders each field once with no data; it only needs to reach every filter, not to finish a long loop. */
    private static final long DRY_RUN_MILLIS = 200;

    private final TemplateParser parser;
    private final TemplateLimits limits;
    /** What messages are rendered with. Previews and validation of drafts bypass it: they would only push messages' templates out. */
    private final ParseCache cache = new ParseCache(ParseCache.DEFAULT_MAX_CHARS);

    public TemplateRenderer() {
        this(TemplateLimits.DEFAULT);
    }

    public TemplateRenderer(TemplateLimits limits) {
        this(limits, null);
    }

    /**
     * A renderer whose {@code {% render %}} and {@code {% include %}} read partials given per
     * render first, then {@code partials} (for example a fixed set); {@code null} for none.
     */
    public TemplateRenderer(TemplateLimits limits, NameResolver partials) {
        this.limits = limits;
        this.parser = LiquidParsers.parser(limits, new ScopedNameResolver(partials));
    }

    public TemplateLimits limits() {
        return limits;
    }

    /** Renders one template; throws {@link TemplateException} with line and column when it cannot. */
    public String render(String source, Map<String, Object> context) {
        return render(source, context, Partials.NONE);
    }

    /** Renders one template whose {@code render}/{@code include} tags read {@code partials}. */
    public String render(String source, Map<String, Object> context, Partials partials) {
        return render(source, context, partials, null);
    }

    private String render(String source, Map<String, Object> context, Partials partials, Undefined undefined) {
        return render(source, context, partials, undefined, limits.maxRenderMillis(), undefined == null ? cache : ParseCache.NONE);
    }

    private String render(String source, Map<String, Object> context, Partials partials, Undefined undefined, long millis,
                          ParseCache parsed) {
        long[] budget = RenderBudget.start(millis);
        Partials previousPartials = ScopedNameResolver.enter(partials);
        Undefined previousUndefined = Undefined.enter(undefined);
        ParseCache previousCache = ParseCache.enter(parsed);
        try {
            CompiledTemplate template = parse(source, parsed);
            Map<String, Object> variables = context == null ? Map.of() : context;
            try {
                if (undefined != null) {
                    return template.render(undefined.wrap(variables), undefined.parent(parser));
                }
                return template.render(variables, null);
            } catch (RuntimeException e) {
                throw Diagnostics.renderError(source, e);
            } catch (StackOverflowError e) {
                // a partial that renders itself: fail this render only
                throw new TemplateException("the template nests partials or blocks too deeply (does a snippet render itself?)", 0, 0, null);
            }
        } finally {
            ParseCache.restore(previousCache);
            Undefined.restore(previousUndefined);
            ScopedNameResolver.restore(previousPartials);
            RenderBudget.restore(budget);
        }
    }

    /**
     * Renders every field; a field that fails is reported in {@code errors}, never thrown. What
     * messages use, so unlike {@link #render} it also refuses template delimiters left in the
     * template's text or in what it renders ({@link LeftoverDelimiters}).
     */
    public RenderResult renderFields(Map<String, String> fields, Map<String, Object> context) {
        return renderFields(fields, context, Partials.NONE);
    }

    public RenderResult renderFields(Map<String, String> fields, Map<String, Object> context, Partials partials) {
        return renderAll(fields, context, partials, false);
    }

    /**
     * {@link #renderFields} plus warnings for every variable a field reads that the context does
     * not define, naming the {@code default} that stood in for it. Slower (the context is
     * wrapped to watch lookups): for previews, not for sending.
     */
    public RenderResult preview(Map<String, String> fields, Map<String, Object> context, Partials partials) {
        return renderAll(fields, context, partials, true);
    }

    private RenderResult renderAll(Map<String, String> fields, Map<String, Object> context, Partials partials, boolean warn) {
        Map<String, String> rendered = new LinkedHashMap<>();
        List<TemplateError> errors = new ArrayList<>();
        List<TemplateWarning> warnings = new ArrayList<>();
        fields.forEach((field, source) -> {
            Undefined undefined = warn ? new Undefined() : null;
            String text = source == null ? "" : source;
            try {
                String output = render(text, context, partials, undefined);
                throwIfLeftover(LeftoverDelimiters.inSource(text));
                throwIfLeftover(LeftoverDelimiters.inRendered(field, text, output));
                rendered.put(field, output);
            } catch (TemplateException e) {
                errors.add(new TemplateError(field, e.line(), e.column(), e.getMessage()));
            }
            if (undefined != null) {
                for (Undefined.Miss miss : undefined.misses()) {
                    warnings.add(new TemplateWarning(field, describe(miss)));
                }
            }
        });
        return new RenderResult(rendered, errors, warnings);
    }

    /** Messages never carry template delimiters as text: see {@link LeftoverDelimiters}. */
    private static void throwIfLeftover(TemplateException leftover) {
        if (leftover != null) {
            throw leftover;
        }
    }

    private static String describe(Undefined.Miss miss) {
        String message = miss.path() + " is not defined";
        if (miss.defaults().isEmpty()) {
            return message;
        }
        List<String> used = new ArrayList<>();
        for (Object value : miss.defaults()) {
            String shown = value instanceof String s ? "'" + s + "'" : String.valueOf(value);
            if (!used.contains(shown)) {
                used.add(shown);
            }
        }
        return message + "; the default " + String.join(", ", used) + " was used";
    }

    /**
     * The errors a marketer must fix before saving or publishing: every field must parse, hold no
     * leftover template delimiters in its text ({@link LeftoverDelimiters}), and
     * every filter it names must exist (liqp only looks filters up when rendering, so each field
     * is also rendered once with no variables and empty partials; failures that depend on the
     * data, such as a currency code read from a missing variable, are not reported).
     */
    public List<TemplateError> validate(Map<String, String> fields) {
        List<TemplateError> errors = new ArrayList<>();
        fields.forEach((field, source) -> {
            String text = source == null ? "" : source;
            try {
                parse(text, ParseCache.NONE);
                throwIfLeftover(LeftoverDelimiters.inSource(text));
            } catch (TemplateException e) {
                errors.add(new TemplateError(field, e.line(), e.column(), e.getMessage()));
                return;
            }
            try {
                long budget = limits.maxRenderMillis() == 0 ? DRY_RUN_MILLIS : Math.min(DRY_RUN_MILLIS, limits.maxRenderMillis());
                render(text, Map.of(), name -> "", null, budget, ParseCache.NONE);
            } catch (TemplateException e) {
                if (unknownFilter(e)) {
                    errors.add(new TemplateError(field, e.line(), e.column(), e.getMessage()));
                }
            }
        });
        return errors;
    }

    /**
     * {@link #validate(Map)} for a template with translations, each error named by its whole path
     * under the template: the fields' under {@code fieldsPath} ({@code template.body}), then the
     * translations' shape ({@link Translations#problems}) and every variant's sources under
     * {@code translations.<locale>.<field>}.
     */
    public List<TemplateError> validate(Map<String, String> fields, String fieldsPath, Translations translations) {
        List<TemplateError> errors = new ArrayList<>();
        validate(fields).forEach(e -> errors.add(new TemplateError(fieldsPath + "." + e.field(), e.line(), e.column(), e.message())));
        List<TemplateError> shape = translations.problems(fields);
        errors.addAll(shape);
        if (shape.isEmpty()) {
            translations.variants().forEach((locale, variant) -> validate(variant).forEach(e ->
                    errors.add(new TemplateError("translations." + locale + "." + e.field(), e.line(), e.column(), e.message()))));
        }
        return errors;
    }

    private static boolean unknownFilter(TemplateException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage());
            if (message.contains("no filter available") || message.contains("wrong number of arguments")) {
                return true;
            }
        }
        return false;
    }

    private CompiledTemplate parse(String source, ParseCache parsed) {
        if (source.length() > limits.maxTemplateBytes()) {
            throw new TemplateException("the template is too long: " + source.length() + " characters, at most "
                    + limits.maxTemplateBytes() + " allowed", 0, 0, null);
        }
        return parsed.template(source,
                text -> asParseError(source, () -> parser.parse(LexerInput.of(AngleBrackets.translate(text)))),
                tree -> asParseError(source, () -> CompiledTemplate.compile(parser, tree)));
    }

    private static <T> T asParseError(String source, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw Diagnostics.parseError(source, e);
        } catch (StackOverflowError e) {
            throw new TemplateException("the template nests blocks too deeply", 0, 0, null);
        }
    }

    /** Characters of template source this renderer keeps compiled for the calling thread. */
    long cachedChars() {
        return cache.cachedChars();
    }
}
