package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormatSymbols;
import java.util.Map;

import liqp.TemplateContext;

/**
 * {@code number_with_delimiter[: delimiter: ",", separator: ".", precision: n, locale: "de"]}:
 * the number with its thousands grouped. {@code {{ 10000 | number_with_delimiter }}} →
 * {@code 10,000}; {@code {{ 1234.5 | number_with_delimiter: locale: "de" }}} → {@code 1.234,5};
 * {@code precision} rounds half up to that many decimals. Numeric text works too; anything
 * else is returned unchanged, so a wrong variable never breaks a message.
 */
public final class NumberWithDelimiter extends LiquidFilter {
    public NumberWithDelimiter() {
        super("number_with_delimiter", 0, 4);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (!positional(args).isEmpty()) {
            throw new FilterException(name + ": options are named, e.g. number_with_delimiter: delimiter: \".\", precision: 2");
        }
        BigDecimal value = Numbers.decimal(input);
        if (value == null) {
            return input;
        }
        Map<String, Object> options = keywords(args);
        String delimiter = ",";
        String separator = ".";
        if (options.get("locale") != null) {
            DecimalFormatSymbols symbols = Numbers.symbols(Numbers.locale(options.get("locale")));
            delimiter = String.valueOf(symbols.getGroupingSeparator());
            separator = String.valueOf(symbols.getDecimalSeparator());
        }
        if (options.containsKey("delimiter")) {
            delimiter = str(options.get("delimiter"), context);
        }
        if (options.containsKey("separator")) {
            separator = str(options.get("separator"), context);
        }
        if (options.get("precision") != null) {
            long precision = Slice.integer(options.get("precision"));
            value = value.setScale((int) Math.max(0, Math.min(precision, 20)), RoundingMode.HALF_UP);
        }
        return Numbers.group(value, delimiter, separator);
    }
}
