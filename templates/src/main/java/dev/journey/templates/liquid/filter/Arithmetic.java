package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

import liqp.TemplateContext;

/**
 * What {@code plus}, {@code minus}, {@code times}, {@code divided_by} and {@code modulo} share:
 * both sides read with Liquid's {@code to_number} (nil and non-numbers are 0), whole numbers
 * give a whole number, anything fractional gives a float.
 */
abstract class Arithmetic extends LiquidFilter {
    Arithmetic(String name) {
        super(name, 1, 1);
    }

    @Override
    protected final Object filter(Object input, TemplateContext context, Object[] args) {
        Number left = normalize(number(input));
        Number right = normalize(number(args[0]));
        if (isIntegral(left) && isIntegral(right)) {
            return whole(left.longValue(), right.longValue());
        }
        return fractional(decimal(left), decimal(right)).doubleValue();
    }

    /** Liquid turns floats into BigDecimal through their shortest text, so 10.1 - 2.2 is 7.9. */
    private static BigDecimal decimal(Number n) {
        return isIntegral(n) ? BigDecimal.valueOf(n.longValue()) : new BigDecimal(Double.toString(n.doubleValue()));
    }

    protected abstract Object whole(long left, long right);

    protected abstract BigDecimal fractional(BigDecimal left, BigDecimal right);

    static void notZero(long divisor) {
        if (divisor == 0) {
            throw new FilterException("divided by 0");
        }
    }
}
