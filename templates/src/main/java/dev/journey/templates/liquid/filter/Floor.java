package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code floor}: rounds down to a whole number; non-numbers count as 0. */
public final class Floor extends LiquidFilter {
    public Floor() {
        super("floor", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Number n = normalize(number(input));
        return isIntegral(n) ? n : (Object) (long) Math.floor(n.doubleValue());
    }
}
