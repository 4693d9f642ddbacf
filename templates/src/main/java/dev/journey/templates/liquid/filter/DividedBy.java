package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.math.MathContext;

/** {@code divided_by: n}: whole numbers divide with floor (Ruby), by 0 is an error; floats divide exactly. */
public final class DividedBy extends Arithmetic {
    public DividedBy() {
        super("divided_by");
    }

    @Override
    protected Object whole(long left, long right) {
        notZero(right);
        return Math.floorDiv(left, right);
    }

    @Override
    protected BigDecimal fractional(BigDecimal left, BigDecimal right) {
        if (right.signum() == 0) {
            return left.signum() == 0 ? BigDecimal.ZERO : left.signum() > 0 ? BigDecimal.valueOf(Double.MAX_VALUE).multiply(BigDecimal.TEN) : BigDecimal.valueOf(-Double.MAX_VALUE).multiply(BigDecimal.TEN);
        }
        return left.divide(right, MathContext.DECIMAL128);
    }
}
