package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;

import liqp.TemplateContext;

/**
 * {@code count | pluralize: "item", "items"}: the singular word when the count is exactly 1,
 * the plural otherwise (0, 2, 1.5, nil, not a number). Only the word is written, so the number
 * stays where the marketer puts it: {@code {{ n }} {{ n | pluralize: "item", "items" }}} →
 * {@code 1 item}, {@code 3 items}. Languages without plurals (Korean) pass the same word twice.
 */
public final class Pluralize extends LiquidFilter {
    public Pluralize() {
        super("pluralize", 2, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        BigDecimal count = Numbers.decimal(input);
        boolean one = count != null && count.compareTo(BigDecimal.ONE) == 0;
        return str(one ? args[0] : args[1], context);
    }
}
