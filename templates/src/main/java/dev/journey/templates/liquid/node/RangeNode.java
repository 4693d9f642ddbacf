package dev.journey.templates.liquid.node;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;
import liqp.exceptions.ExceededMaxIterationsException;
import liqp.nodes.LNode;

/**
 * A range literal, {@code (start..stop)}: the whole numbers from start to stop, as a list that
 * filters ({@code join}, {@code reverse}, {@code last} …) and comparisons take. Bounds are read as
 * Shopify reads them: a decimal is cut to its whole part, text to the number it starts with (or 0),
 * nil is 0. A range longer than the template's loop limit is an error, as a loop over it would be.
 */
public final class RangeNode implements LNode {
    /** What the separator of a range literal reads as, written. */
    public static final String DOTS = "..";

    private final LNode start;
    private final LNode stop;

    public RangeNode(LNode start, LNode stop) {
        this.start = start;
        this.stop = stop;
    }

    @Override
    public Object render(TemplateContext context) {
        return values(context, bound(start.render(context)), bound(stop.render(context)));
    }

    /** The numbers from {@code from} to {@code to}, within the parser's loop limit. */
    public static List<Object> values(TemplateContext context, long from, long to) {
        int limit = context.getParser().getLimitMaxIterations();
        if (limit > 0 && to - from + 1 > limit) {
            throw new ExceededMaxIterationsException(limit);
        }
        List<Object> values = new ArrayList<>((int) Math.max(0, to - from + 1));
        for (long i = from; i <= to; i++) {
            values.add(i);
        }
        return values;
    }

    /** A range bound, read as Shopify reads one. */
    public static long bound(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof CharSequence text) {
            return leadingInteger(text.toString().strip());
        }
        if (value == null) {
            return 0;
        }
        throw new IllegalArgumentException("Liquid error: invalid integer for a range: " + value);
    }

    private static long leadingInteger(String text) {
        int end = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        while (end < text.length() && end < 19 && Character.isDigit(text.charAt(end)) && text.charAt(end) < 0x80) {
            end++;
        }
        try {
            return Long.parseLong(text.substring(0, end));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
