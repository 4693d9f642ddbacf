package dev.journey.templates;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.journey.templates.liquid.UnicodeNames;

/**
 * Turns {@code << expr >>} into {@code {{ expr }}} so that liqp, whose delimiters are fixed in
 * its grammar, can parse it.
 *
 * <p>Both delimiters are two characters, so every line and column liqp reports stays true for
 * the text the marketer wrote. The rule, chosen so plain text survives:
 * <ul>
 *   <li>an opening {@code <<} must not touch another {@code <} ({@code <<<} and {@code a <<< b}
 *       stay text);</li>
 *   <li>it closes at the first {@code >>} after it;</li>
 *   <li>what stands between must have the shape of a Liquid output: a variable path
 *       ({@code a.b[0]["c"]}) or a literal (quoted text, a number), then any filters
 *       ({@code | name: args}), with optional whitespace control ({@code <<- x ->>});</li>
 *   <li>anything else ({@code 1 << 2 and a >> b}, {@code << and >>}, an unclosed {@code <<}) stays text;</li>
 *   <li>inside {@code {% raw %}…{% endraw %}} nothing is translated.</li>
 * </ul>
 */
public final class AngleBrackets {
    private AngleBrackets() {}

    public static String translate(String source) {
        if (source == null || source.indexOf("<<") < 0) {
            return source;
        }
        char[] out = source.toCharArray();
        int i = 0;
        while (true) {
            int open = source.indexOf("<<", i);
            if (open < 0) {
                break;
            }
            Matcher raw = RAW_START.matcher(source);
            if (raw.find(i) && raw.start() < open) {
                // {% raw %} is how a marketer sends delimiters as text: its << >> stay as written
                Matcher end = RAW_END.matcher(source);
                i = end.find(raw.end()) ? end.end() : source.length();
                continue;
            }
            boolean touchesAngle = (open > 0 && source.charAt(open - 1) == '<')
                    || (open + 2 < source.length() && source.charAt(open + 2) == '<');
            int close = touchesAngle ? -1 : source.indexOf(">>", open + 2);
            if (close < 0 || !startsExpression(source, open + 2, close)) {
                i = skipAngles(source, open);
                continue;
            }
            out[open] = '{';
            out[open + 1] = '{';
            out[close] = '}';
            out[close + 1] = '}';
            i = close + 2;
        }
        return new String(out);
    }

    private static final Pattern RAW_START = Pattern.compile("\\{%-?\\s*raw\\s*-?%}");
    static final Pattern RAW_END = Pattern.compile("\\{%-?\\s*endraw\\s*-?%}");
    private static final String QUOTED = "'[^']*'|\"[^\"]*\"";
    /** A name in any script ({@code 이름}, {@code имя}, {@code productName}); it does not start with a digit or {@code -}. */
    private static final String IDENT = "(?!\\p{Nd})" + UnicodeNames.NAME_CHAR_CLASS + "(?:" + UnicodeNames.NAME_CHAR_CLASS + "|-)*\\??";
    private static final String PATH = IDENT + "(?:\\." + IDENT + "|\\[(?:" + QUOTED + "|[^\\]]*)\\])*";
    private static final String VALUE = "(?:" + QUOTED + "|-?\\d+(?:\\.\\d+)?|" + PATH + ")";
    private static final String FILTER = "\\|\\s*" + IDENT + "(?:\\s*:(?:" + QUOTED + "|[^|'\"])*)?";
    private static final Pattern OUTPUT = Pattern.compile(
            "-?\\s*" + VALUE + "(?:\\s*" + FILTER + ")*\\s*-?", Pattern.DOTALL);
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "contains", "in");
    /** Compiled once: every message's render checks its {@code << >>} (String.split and replaceFirst would compile per call). */
    private static final Pattern WHITESPACE_CONTROL = Pattern.compile("^-\\s*");
    private static final Pattern HEAD_END = Pattern.compile("[\\s|.\\[]");

    private static boolean startsExpression(String s, int from, int to) {
        String inner = s.substring(from, to);
        String head = HEAD_END.split(WHITESPACE_CONTROL.matcher(inner.strip()).replaceFirst(""), 2)[0];
        return !KEYWORDS.contains(head) && OUTPUT.matcher(inner).matches();
    }

    private static int skipAngles(String s, int from) {
        int k = from;
        while (k < s.length() && s.charAt(k) == '<') {
            k++;
        }
        return k;
    }
}
