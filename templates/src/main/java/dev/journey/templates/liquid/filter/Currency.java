package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.NumberFormat;
import java.util.Map;

import liqp.TemplateContext;

/**
 * {@code currency: "KRW"[, locale: "ko", precision: n]}: money in the ISO 4217 currency given,
 * rounded half up to the currency's own decimals. Without a locale the symbol goes first and
 * thousands are grouped with commas: {@code {{ 10000 | currency: "KRW" }}} → {@code ₩10,000},
 * {@code {{ 10000 | currency: "USD" }}} → {@code $10,000.00}, {@code -5 | currency: "EUR"} →
 * {@code -€5.00}; a code without a one-glyph symbol is written out ({@code CHF 10.00}). With a
 * locale the locale's own pattern is used: {@code {{ 9.5 | currency: "EUR", locale: "de" }}} →
 * {@code 9,50 €}. Non-numbers are returned unchanged; an unknown code is an error.
 */
public final class Currency extends LiquidFilter {
    /** Symbol lookups go through the JDK's locale providers, slower than the rest of the filter together. */
    private static final Map<String, String> PREFIXES = new java.util.concurrent.ConcurrentHashMap<>();

    public Currency() {
        super("currency", 1, 3);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (positional(args).size() != 1) {
            throw new FilterException(name + ": give one currency code, e.g. currency: \"KRW\"");
        }
        String code = str(positional(args).get(0), context).strip().toUpperCase(java.util.Locale.ROOT);
        java.util.Currency currency;
        try {
            currency = java.util.Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new FilterException(name + ": unknown currency code '" + code + "' (use an ISO 4217 code like KRW, USD or EUR)");
        }
        BigDecimal value = Numbers.decimal(input);
        if (value == null) {
            return input;
        }
        Map<String, Object> options = keywords(args);
        int digits = Math.max(0, currency.getDefaultFractionDigits());
        if (options.get("precision") != null) {
            digits = (int) Math.max(0, Math.min(Slice.integer(options.get("precision")), 10));
        }
        value = value.setScale(digits, RoundingMode.HALF_UP);
        if (options.get("locale") != null) {
            NumberFormat format = NumberFormat.getCurrencyInstance(Numbers.locale(options.get("locale")));
            format.setCurrency(currency);
            format.setMinimumFractionDigits(digits);
            format.setMaximumFractionDigits(digits);
            format.setRoundingMode(RoundingMode.HALF_UP);
            return format.format(value);
        }
        String prefix = PREFIXES.computeIfAbsent(currency.getCurrencyCode(), c -> {
            String symbol = currency.getSymbol(java.util.Locale.ENGLISH);
            return symbol.codePointCount(0, symbol.length()) > 2 ? symbol + " " : symbol;
        });
        String amount = Numbers.group(value.abs(), ",", ".");
        return (value.signum() < 0 ? "-" : "") + prefix + amount;
    }
}
