package dev.journey.templates.liquid.tag;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.journey.templates.liquid.CompiledTemplate;
import dev.journey.templates.liquid.ParseCache;
import dev.journey.templates.liquid.PartialException;
import dev.journey.templates.liquid.RenderBudget;
import dev.journey.templates.liquid.LexerInput;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;
import liqp.org.antlr.v4.runtime.CharStream;
import liqp.org.antlr.v4.runtime.misc.Interval;
import liqp.nodes.LNode;
import liqp.tags.Tag;

/**
 * {@code {% render 'name'[, key: value …] %}}, {@code {% render 'name' with expr [as alias] %}},
 * {@code {% render 'name' for items [as alias] %}}: renders a partial (read through the parser's
 * name resolver) in an isolated scope that holds only what is passed to it — the caller's
 * variables, assigns and counters are not visible, and its assigns do not leak out.
 */
public final class Render extends Tag {
    public Render() {
        super("render");
    }

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        List<String> tokens = Markup.tokens(context, nodes);
        String name = tokens.isEmpty() ? null : Markup.stringLiteral(tokens.get(0));
        if (name == null) {
            throw new LiquidException("Syntax error in 'render': the template name must be a quoted string", 0, 0, null);
        }
        int i = 1;
        String mode = null;
        List<String> bound = List.of();
        String alias = name;
        if (i < tokens.size() && ("with".equals(tokens.get(i)) || "for".equals(tokens.get(i)))) {
            mode = tokens.get(i++);
            int end = expressionEnd(tokens, i);
            bound = tokens.subList(i, end);
            i = end;
            if (i + 1 < tokens.size() && "as".equals(tokens.get(i))) {
                alias = tokens.get(i + 1);
                i += 2;
            }
        }
        Map<String, Object> arguments = new LinkedHashMap<>();
        while (i < tokens.size()) {
            if (",".equals(tokens.get(i))) {
                i++;
                continue;
            }
            if (i + 1 >= tokens.size() || !":".equals(tokens.get(i + 1))) {
                throw new LiquidException("Syntax error in 'render': expected 'key: value' but found '" + tokens.get(i) + "'", 0, 0, null);
            }
            String key = tokens.get(i);
            int end = expressionEnd(tokens, i + 2);
            arguments.put(key, Markup.evaluate(context, tokens.subList(i + 2, end)));
            i = end;
        }

        CompiledTemplate partial = load(context.getParser(), name);
        try {
            return render(context, partial, name, mode, bound, alias, arguments);
        } catch (PartialException | RenderBudget.RenderTimeExceededException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new PartialException(name, e);
        }
    }

    private Object render(TemplateContext context, CompiledTemplate partial, String name, String mode, List<String> bound,
                          String alias, Map<String, Object> arguments) {
        if (mode == null) {
            return renderOnce(partial, arguments);
        }
        Object value = Markup.evaluate(context, bound);
        if ("for".equals(mode) && (value instanceof Collection<?> || value instanceof Object[])) {
            List<Object> items = value instanceof Object[] array ? List.of(array) : new ArrayList<>((Collection<?>) value);
            StringBuilder out = new StringBuilder();
            for (int index = 0; index < items.size(); index++) {
                Map<String, Object> variables = new HashMap<>(arguments);
                variables.put(alias, items.get(index));
                variables.put("forloop", forloop(index, items.size()));
                out.append(renderOnce(partial, variables));
            }
            return out.toString();
        }
        Map<String, Object> variables = new HashMap<>(arguments);
        variables.put(alias, value);
        return renderOnce(partial, variables);
    }

    /** Where the expression that starts at {@code from} ends: at a comma, {@code as}, or a {@code key:}. */
    private static int expressionEnd(List<String> tokens, int from) {
        int depth = 0;
        for (int i = from; i < tokens.size(); i++) {
            String t = tokens.get(i);
            if ("(".equals(t) || "[".equals(t)) {
                depth++;
            } else if (")".equals(t) || "]".equals(t)) {
                depth--;
            } else if (depth == 0 && i > from && (",".equals(t) || "as".equals(t)
                    || (i + 1 < tokens.size() && ":".equals(tokens.get(i + 1)) && !"|".equals(tokens.get(i - 1))))) {
                return i;
            }
        }
        return tokens.size();
    }

    /**
     * The partial from the render's {@link ParseCache} (parsed once, compiled once per thread): a
     * footer rendered in every e-mail is parsed once, not once per e-mail (or once per item of a {@code for}).
     */
    private static CompiledTemplate load(TemplateParser parser, String name) {
        String text;
        try {
            CharStream source = parser.nameResolver.resolve(name);
            text = source.size() == 0 ? "" : source.getText(Interval.of(0, source.size() - 1));
        } catch (IOException | RuntimeException e) {
            throw new LiquidException("Liquid error: cannot render '" + name + "': " + e.getMessage(), 0, 0, e);
        }
        return ParseCache.current().partial(text,
                source -> asPartialError(name, () -> parser.parse(LexerInput.of(source))),
                tree -> asPartialError(name, () -> CompiledTemplate.compile(parser, tree)));
    }

    private static <T> T asPartialError(String name, Supplier<T> step) {
        try {
            return step.get();
        } catch (RuntimeException e) {
            throw new PartialException(name, e);
        }
    }

    private static Object renderOnce(CompiledTemplate partial, Map<String, Object> variables) {
        return partial.render(variables, null);
    }

    private static Map<String, Object> forloop(int index, int length) {
        Map<String, Object> loop = new HashMap<>();
        loop.put("first", index == 0);
        loop.put("last", index == length - 1);
        loop.put("index", (long) index + 1);
        loop.put("index0", (long) index);
        loop.put("rindex", (long) (length - index));
        loop.put("rindex0", (long) (length - index - 1));
        loop.put("length", (long) length);
        return loop;
    }
}
