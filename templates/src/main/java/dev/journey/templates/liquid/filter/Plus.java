package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

/** {@code plus: n}: Liquid arithmetic (whole numbers stay whole). */
public final class Plus extends Arithmetic {
    public Plus() {
        super("plus");
    }

    @Override
    protected Object whole(long left, long right) {
        return Math.addExact(left, right);
    }

    @Override
    protected BigDecimal fractional(BigDecimal left, BigDecimal right) {
        return left.add(right);
    }
}
