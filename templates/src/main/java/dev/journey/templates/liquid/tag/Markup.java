package dev.journey.templates.liquid.tag;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.journey.templates.liquid.LexerInput;
import liqp.LValue;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.filters.Filters;
import liqp.nodes.BlockNode;
import liqp.nodes.LNode;
import dev.journey.templates.liquid.LiquidNodeVisitor;

/**
 * What custom tags share: liqp hands a tag its arguments as raw tokens ({@code 'snip'},
 * {@code ,}, {@code user}, {@code :} …), so a tag reads them here and has liqp's own parser
 * compile the expressions it finds. Compiled node trees hold no per-render state and are cached
 * per parser and source text.
 */
final class Markup {
    private static final int CACHE_LIMIT = 2_048;
    private static final Map<Filters, Map<String, LNode>> COMPILED = Collections.synchronizedMap(new WeakHashMap<>());

    private Markup() {}

    /** The tag's argument tokens as text. */
    static List<String> tokens(TemplateContext context, LNode... nodes) {
        List<String> tokens = new ArrayList<>(nodes.length);
        for (LNode node : nodes) {
            Object text = node.render(context);
            tokens.add(text == null ? "" : String.valueOf(text));
        }
        return tokens;
    }

    static String join(List<String> tokens) {
        return String.join(" ", tokens);
    }

    /** Compiles Liquid source with the rendering parser's filters and tags; the root is a block. */
    static BlockNode compile(TemplateContext context, String source) {
        TemplateParser parser = context.getParser();
        Map<String, LNode> compiled = COMPILED.computeIfAbsent(parser.filters, f -> new ConcurrentHashMap<>());
        LNode node = compiled.get(source);
        if (node == null) {
            node = new LiquidNodeVisitor(parser)
                    .visit(parser.parse(LexerInput.of(source)).getParseTree());
            if (compiled.size() >= CACHE_LIMIT) {
                compiled.clear();
            }
            compiled.put(source, node);
        }
        return (BlockNode) node;
    }

    /** Renders Liquid source in the given context (assignments land in it), as text or BREAK/CONTINUE. */
    static Object render(TemplateContext context, String source) {
        Object result = compile(context, source).render(context);
        if (result == LValue.BREAK || result == LValue.CONTINUE) {
            return result;
        }
        return result == null ? "" : result;
    }

    /** The value of one expression (filters allowed); a range {@code (a..b)} becomes a list. */
    static Object evaluate(TemplateContext context, List<String> tokens) {
        if (tokens.isEmpty()) {
            return null;
        }
        int dots = tokens.indexOf("..");
        if (dots > 0 && "(".equals(tokens.get(0)) && ")".equals(tokens.get(tokens.size() - 1))) {
            return range(evaluate(context, tokens.subList(1, dots)),
                    evaluate(context, tokens.subList(dots + 1, tokens.size() - 1)));
        }
        BlockNode block = compile(context, "{{ " + join(tokens) + " }}");
        return block.getChildren().isEmpty() ? null : block.getChildren().get(0).render(context);
    }

    static List<Object> range(Object from, Object to) {
        long start = integer(from);
        long end = integer(to);
        List<Object> values = new ArrayList<>();
        for (long i = start; i <= end; i++) {
            values.add(i);
        }
        return values;
    }

    static long integer(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return (long) Double.parseDouble(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Unquotes a string literal token; null when the token is not one. */
    static String stringLiteral(String token) {
        if (token.length() >= 2 && (token.startsWith("'") && token.endsWith("'") || token.startsWith("\"") && token.endsWith("\""))) {
            return token.substring(1, token.length() - 1);
        }
        return null;
    }
}
