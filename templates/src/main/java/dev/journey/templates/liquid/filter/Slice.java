package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;

/** {@code slice: offset[, length]}: Ruby's slice on text or arrays; a negative offset counts from the end. */
public final class Slice extends LiquidFilter {
    public Slice() {
        super("slice", 1, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        long offset = integer(args[0]);
        long length = arg(args, 1) == null ? 1 : integer(args[1]);
        List<?> list = Sequences.list(input);
        int size = list != null ? list.size() : str(input, context).length();
        long start = offset < 0 ? size + offset : offset;
        if (start < 0 || start > size || length < 0) {
            return list != null ? new ArrayList<>() : "";
        }
        int end = (int) Math.min(size, start + length);
        return list != null ? new ArrayList<>(list.subList((int) start, end)) : str(input, context).substring((int) start, end);
    }

    /** Liquid's {@code to_integer}: whole numbers and numeric text, anything else an error. */
    static long integer(Object value) {
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        try {
            return Long.parseLong(value == null ? "" : String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new FilterException("invalid integer");
        }
    }
}
