package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code at_least: n}: the larger of input and n, both read as numbers. */
public final class AtLeast extends LiquidFilter {
    public AtLeast() {
        super("at_least", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Number a = normalize(number(input));
        Number b = normalize(number(args[0]));
        return a.doubleValue() >= b.doubleValue() ? a : b;
    }
}
