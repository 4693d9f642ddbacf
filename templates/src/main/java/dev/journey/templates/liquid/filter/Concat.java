package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;

/** {@code concat: array}: the input's items (a single value counts as one) followed by the array's. */
public final class Concat extends LiquidFilter {
    public Concat() {
        super("concat", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        List<?> other = Sequences.list(args[0]);
        if (other == null) {
            throw new FilterException("concat filter requires an array argument");
        }
        List<Object> out = new ArrayList<>(items(input));
        out.addAll(other);
        return out;
    }
}
