package dev.journey.templates.liquid.filter;

import java.math.BigDecimal;
import java.text.DecimalFormatSymbols;
import java.util.Locale;
import java.util.regex.Pattern;

/** Shared by the number-formatting filters: reading a number exactly and grouping its digits. */
final class Numbers {
    private static final Pattern NUMERIC = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?");

    private Numbers() {}

    /** The input as an exact decimal, or null when it is not a number (text stays as written). */
    static BigDecimal decimal(Object input) {
        if (input instanceof BigDecimal d) {
            return d;
        }
        if (input instanceof Double d && (d.isNaN() || d.isInfinite()) || input instanceof Float f && (f.isNaN() || f.isInfinite())) {
            return null;
        }
        if (input instanceof Number n) {
            return new BigDecimal(n.toString());
        }
        if (input instanceof String s && NUMERIC.matcher(s.strip()).matches()) {
            return new BigDecimal(s.strip());
        }
        return null;
    }

    /** {@code value} with its whole part grouped by thousands; {@code -1234.5} → {@code -1,234.5}. */
    static String group(BigDecimal value, String delimiter, String separator) {
        String plain = value.toPlainString();
        boolean negative = plain.startsWith("-");
        if (negative) {
            plain = plain.substring(1);
        }
        int dot = plain.indexOf('.');
        String whole = dot < 0 ? plain : plain.substring(0, dot);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) {
                out.append(delimiter);
            }
            out.append(whole.charAt(i));
        }
        if (dot >= 0) {
            out.append(separator).append(plain.substring(dot + 1));
        }
        return (negative && value.signum() != 0 ? "-" : "") + out;
    }

    static Locale locale(Object tag) {
        Locale locale = Locale.forLanguageTag(String.valueOf(tag).replace('_', '-'));
        if (locale.getLanguage().isEmpty()) {
            throw new FilterException("unknown locale '" + tag + "' (use a language tag like en, ko or de-DE)");
        }
        return locale;
    }

    static DecimalFormatSymbols symbols(Locale locale) {
        return DecimalFormatSymbols.getInstance(locale);
    }
}
