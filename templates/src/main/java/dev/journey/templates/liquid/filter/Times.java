package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

/** {@code times: n}: Liquid arithmetic (whole numbers stay whole). */
public final class Times extends Arithmetic {
    public Times() {
        super("times");
    }

    @Override
    protected Object whole(long left, long right) {
        return Math.multiplyExact(left, right);
    }

    @Override
    protected BigDecimal fractional(BigDecimal left, BigDecimal right) {
        return left.multiply(right);
    }
}
