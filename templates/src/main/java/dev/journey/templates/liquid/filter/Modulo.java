package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

/** {@code modulo: n}: Ruby's modulo, whose sign follows the divisor; by 0 is an error. */
public final class Modulo extends Arithmetic {
    public Modulo() {
        super("modulo");
    }

    @Override
    protected Object whole(long left, long right) {
        notZero(right);
        return Math.floorMod(left, right);
    }

    @Override
    protected BigDecimal fractional(BigDecimal left, BigDecimal right) {
        if (right.signum() == 0) {
            throw new FilterException("divided by 0");
        }
        BigDecimal r = left.remainder(right);
        return r.signum() != 0 && r.signum() != right.signum() ? r.add(right) : r;
    }
}
