package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code ceil}: rounds up to a whole number; non-numbers count as 0. */
public final class Ceil extends LiquidFilter {
    public Ceil() {
        super("ceil", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Number n = normalize(number(input));
        return isIntegral(n) ? n : (Object) (long) Math.ceil(n.doubleValue());
    }
}
