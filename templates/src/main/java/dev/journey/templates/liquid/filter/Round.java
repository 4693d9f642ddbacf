package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.math.RoundingMode;

import liqp.TemplateContext;

/** {@code round[: digits]}: half away from zero; no or negative digits give a whole number. */
public final class Round extends LiquidFilter {
    public Round() {
        super("round", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Number n = normalize(number(input));
        int digits = (int) normalize(number(arg(args, 0))).longValue();
        if (n instanceof Double d && (d.isNaN() || d.isInfinite())) {
            return 0L;
        }
        BigDecimal rounded = new BigDecimal(n.toString()).setScale(digits, RoundingMode.HALF_UP);
        if (isIntegral(n) || digits <= 0) {
            return rounded.longValue();
        }
        return rounded.doubleValue();
    }
}
