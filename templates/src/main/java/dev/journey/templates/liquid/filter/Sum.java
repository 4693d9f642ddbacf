package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.util.Map;

import liqp.TemplateContext;

/** {@code sum[: property]}: the sum of the items (or of their property); non-numbers count as 0. */
public final class Sum extends LiquidFilter {
    public Sum() {
        super("sum", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Object property = arg(args, 0);
        BigDecimal total = BigDecimal.ZERO;
        boolean integral = true;
        for (Object item : items(input)) {
            Object value = item;
            if (property != null) {
                value = item instanceof Map<?, ?> map ? map.get(String.valueOf(property)) : null;
            }
            Number n = number(value);
            integral &= isIntegral(normalize(n));
            total = total.add(new BigDecimal(n.toString()));
        }
        return integral ? (Object) total.longValueExact() : (Object) total.doubleValue();
    }
}
