package dev.journey.templates.liquid;

import java.util.Set;

/**
 * Range literals — {@code (1..5)}, {@code (start..end)} — wherever Liquid takes a value:
 * {@code {{ (1..5) | join: '#' }}}, {@code {% assign r = (1..n) %}}, {@code {% if r == (1..3) %}}.
 * liqp's grammar knows them only in {@code for}. It does accept a parenthesised comparison in those
 * places, so the two dots of a range literal there <em>read</em> as {@code <>} ({@link LexerInput}:
 * the token's text stays {@code ..}), and {@link LiquidNodeVisitor} builds a range where it finds
 * a parenthesised {@code <>} whose text is {@code ..}. Columns do not move.
 *
 * <p>Left alone: {@code for} (liqp's own range rule), {@code tablerow} (its grammar takes a variable
 * only), {@code liquid} (each of its lines is read again as a tag), and the bodies of {@code raw},
 * {@code comment} and {@code doc}.
 */
final class RangeLiterals {
    private static final Set<String> UNTOUCHED = Set.of("for", "tablerow", "liquid");
    private static final Set<String> VERBATIM = Set.of("raw", "comment", "doc");

    private RangeLiterals() {}

    /** Marks in {@code read} the dots of every range literal found in the outputs and tags of {@code written}. */
    static void readDotsAsOperator(int[] written, int[] read) {
        int i = 0;
        while (i + 1 < written.length) {
            if (written[i] != '{' || (written[i + 1] != '{' && written[i + 1] != '%')) {
                i++;
                continue;
            }
            boolean tag = written[i + 1] == '%';
            int end = closing(written, i + 2, tag ? '%' : '}');
            String name = tag ? name(written, i + 2) : "";
            if (!UNTOUCHED.contains(name)) {
                mark(written, read, i + 2, end);
            }
            i = end + 2;
            if (VERBATIM.contains(name)) {
                i = endOf(written, i, "end" + name);
            }
        }
    }

    /** Where the {@code %}} or {@code }}} closing the tag or output that starts at {@code from} stands (quotes skipped). */
    private static int closing(int[] w, int from, int brace) {
        int quote = 0;
        for (int i = from; i + 1 < w.length; i++) {
            if (quote != 0) {
                quote = w[i] == quote ? 0 : quote;
            } else if (w[i] == '\'' || w[i] == '"') {
                quote = w[i];
            } else if (w[i] == brace && w[i + 1] == '}') {
                return i;
            }
        }
        return w.length;
    }

    /** The tag's name: its first word after {@code {%}, an optional {@code -} and spaces. */
    private static String name(int[] w, int from) {
        int i = from < w.length && w[from] == '-' ? from + 1 : from;
        while (i < w.length && Character.isWhitespace(w[i])) {
            i++;
        }
        int start = i;
        while (i < w.length && (Character.isLetter(w[i]) || w[i] == '_')) {
            i++;
        }
        return new String(w, start, i - start);
    }

    /** Where the tag {@code {% name %}} opens after {@code from} (the end of the text when it does not). */
    private static int endOf(int[] w, int from, String name) {
        for (int i = from; i + 1 < w.length; i++) {
            if (w[i] == '{' && w[i + 1] == '%' && name(w, i + 2).equals(name)) {
                return i;
            }
        }
        return w.length;
    }

    /** Marks the {@code ..} of each {@code ( term .. term )} between {@code from} and {@code to}, outside quotes. */
    private static void mark(int[] w, int[] read, int from, int to) {
        int quote = 0;
        for (int i = from; i < to; i++) {
            if (quote != 0) {
                quote = w[i] == quote ? 0 : quote;
            } else if (w[i] == '\'' || w[i] == '"') {
                quote = w[i];
            } else if (w[i] == '(') {
                int start = spaces(w, i + 1, to);
                int startEnd = term(w, start, to);
                int dots = spaces(w, startEnd, to);
                if (startEnd == start || dots + 1 >= to || w[dots] != '.' || w[dots + 1] != '.') {
                    continue;
                }
                int stop = spaces(w, dots + 2, to);
                int stopEnd = term(w, stop, to);
                if (stopEnd > stop && spaces(w, stopEnd, to) < to && w[spaces(w, stopEnd, to)] == ')') {
                    read[dots] = '<';
                    read[dots + 1] = '>';
                }
            }
        }
    }

    private static int spaces(int[] w, int i, int to) {
        while (i < to && Character.isWhitespace(w[i])) {
            i++;
        }
        return i;
    }

    /**
     * The end of the value starting at {@code i}: a number, a quoted string or a variable path
     * ({@code a.b[0]["c"]}, names in any script); {@code i} itself when none starts there.
     */
    private static int term(int[] w, int i, int to) {
        if (i < to && (w[i] == '\'' || w[i] == '"')) {
            int close = i + 1;
            while (close < to && w[close] != w[i]) {
                close++;
            }
            return close < to ? close + 1 : i;
        }
        int start = i;
        if (i < to && w[i] == '-') {
            i++;
        }
        while (i < to) {
            int c = w[i];
            if (c == '.' && i > start && i + 1 < to && w[i + 1] != '.') {
                i++;
            } else if (c == '[') {
                int close = i + 1;
                while (close < to && w[close] != ']' && w[close] != ')') {
                    close++;
                }
                if (close >= to || w[close] != ']') {
                    return start;
                }
                i = close + 1;
            } else if (c < 0x80 ? Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '?' : UnicodeNames.isNameChar(c)) {
                i++;
            } else {
                break;
            }
        }
        return i == start || (i == start + 1 && w[start] == '-') ? start : i;
    }
}
