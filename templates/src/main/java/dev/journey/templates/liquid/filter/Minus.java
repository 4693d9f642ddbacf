package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

/** {@code minus: n}: Liquid arithmetic (whole numbers stay whole). */
public final class Minus extends Arithmetic {
    public Minus() {
        super("minus");
    }

    @Override
    protected Object whole(long left, long right) {
        return Math.subtractExact(left, right);
    }

    @Override
    protected BigDecimal fractional(BigDecimal left, BigDecimal right) {
        return left.subtract(right);
    }
}
