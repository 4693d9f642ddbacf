package dev.journey.templates;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Template delimiters that would reach a customer as written. Liquid itself sends a stray
 * {@code }}} or an unconverted {@code << … >>} as plain text; a message must not.
 *
 * <p>The rule (templates/README.md, "Leftover delimiters"), applied to the template's literal text
 * (outside {@code {{ }}}, {@code {% %}}, {@code raw} and {@code comment}) and, at send and preview,
 * to the rendered text:
 * <ul>
 *   <li>a {@code }}} that closes no {@code {} of the text, and a {@code %}} outside braces
 *       (JSON's {@code {"a": {"b": 1}}} and CSS's {@code .a{width:50%}} balance, so they pass);</li>
 *   <li>a {@code <<} (not touching another {@code <}) followed by what starts a value — a name in any
 *       script, {@code _}, a quote or {@code [} — that is closed by {@code >>} on the same line, or
 *       that goes on as a path ({@code << user.name}, no {@code >>}): an output that could not be read;
 *       {@code 1 << 2}, {@code << and >>}, {@code << Back} and {@code Read more >>} stay text;</li>
 *   <li>in rendered text also {@code {{} and {@code {%}, except what the template's own
 *       {@code {% raw %}} blocks produce.</li>
 * </ul>
 */
final class LeftoverDelimiters {
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "contains", "in");
    private static final Pattern RAW = Pattern.compile("\\{%-?\\s*raw\\s*-?%}(.*?)\\{%-?\\s*endraw\\s*-?%}", Pattern.DOTALL);
    private static final Pattern TAG_NAME = Pattern.compile("\\{%-?\\s*(\\w+)");
    private static final Pattern END_COMMENT = Pattern.compile("\\{%-?\\s*endcomment\\s*-?%}");
    private static final int EXCERPT = 60;

    private LeftoverDelimiters() {}

    /** One leftover: where it starts in the text checked, and what it is. */
    private record Leftover(int index, int end, Kind kind) {}

    private enum Kind { STRAY_CLOSE, UNREAD_OUTPUT, UNCLOSED_ANGLE, OPENER }

    /** The first leftover in the literal text of {@code source} (as written, {@code << >>} included), as an error; null when none. */
    static TemplateException inSource(String source) {
        String translated = AngleBrackets.translate(source);
        Leftover found = first(literalView(translated), false);
        if (found == null) {
            return null;
        }
        int[] at = Diagnostics.position(source, found.index());
        String excerpt = excerpt(source, found);
        String message = switch (found.kind()) {
            case STRAY_CLOSE -> "this " + excerpt + " closes nothing and would be sent as written; to send it, write it inside {% raw %}…{% endraw %}";
            case UNREAD_OUTPUT -> excerpt + " is not a Liquid output (a variable or a value, then filters such as | default: 'x')"
                    + " and would be sent as written; to send it as text, write it inside {% raw %}…{% endraw %}";
            case UNCLOSED_ANGLE -> "the << on line " + at[0] + ", column " + at[1] + " is never closed (missing >>)";
            case OPENER -> excerpt + " would be sent as written";
        };
        if (found.kind() == Kind.UNCLOSED_ANGLE) {
            return new TemplateException(message, at[0], at[1], null);
        }
        return new TemplateException("line " + at[0] + ", column " + at[1] + ": " + message, at[0], at[1], null);
    }

    /**
     * The first template delimiter in {@code rendered} text that the template's {@code raw} blocks
     * did not put there, as an error whose line and column are those of the rendered text; null when none.
     */
    static TemplateException inRendered(String field, String source, String rendered) {
        char[] view = rendered.toCharArray();
        for (String raw : rawBodies(source)) {
            for (int at = rendered.indexOf(raw); at >= 0; at = rendered.indexOf(raw, at + raw.length())) {
                java.util.Arrays.fill(view, at, at + raw.length(), ' ');
            }
        }
        Leftover found = first(new String(view), true);
        if (found == null) {
            return null;
        }
        int[] at = Diagnostics.position(rendered, found.index());
        return new TemplateException("the rendered " + field + " still holds template delimiters at line " + at[0] + ", column " + at[1]
                + ": " + excerpt(rendered, found), at[0], at[1], null);
    }

    private static List<String> rawBodies(String source) {
        List<String> bodies = new ArrayList<>();
        Matcher m = RAW.matcher(source);
        while (m.find()) {
            if (!m.group(1).isEmpty()) {
                bodies.add(m.group(1));
            }
        }
        return bodies;
    }

    /**
     * The source with everything that is not literal text (outputs, tags, raw and comment bodies)
     * blanked to spaces, so positions stay those of the source.
     */
    private static String literalView(String source) {
        char[] view = source.toCharArray();
        int i = 0;
        while (i < source.length() - 1) {
            if (source.startsWith("{{", i)) {
                i = blank(view, i, closing(source, i + 2, "}}"));
            } else if (source.startsWith("{%", i)) {
                int end = closing(source, i + 2, "%}");
                Matcher name = TAG_NAME.matcher(source).region(i, source.length());
                if (name.lookingAt() && (name.group(1).equals("raw") || name.group(1).equals("comment"))) {
                    Matcher close = (name.group(1).equals("raw") ? AngleBrackets.RAW_END : END_COMMENT).matcher(source);
                    end = close.find(end) ? close.end() : source.length();
                }
                i = blank(view, i, end);
            } else {
                i++;
            }
        }
        return new String(view);
    }

    private static int blank(char[] view, int from, int to) {
        java.util.Arrays.fill(view, from, to, ' ');
        return to;
    }

    /** Just after the {@code close} that ends a tag begun before {@code from} (quoted text skipped), or the end. */
    private static int closing(String s, int from, String close) {
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                quote = c == quote ? 0 : quote;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (s.startsWith(close, i)) {
                return i + close.length();
            }
        }
        return s.length();
    }

    private static Leftover first(String view, boolean openers) {
        int depth = 0;
        for (int i = 0; i < view.length(); i++) {
            char c = view.charAt(i);
            char next = i + 1 < view.length() ? view.charAt(i + 1) : 0;
            if (c == '{' && (next == '{' || next == '%')) {
                if (openers) {
                    return new Leftover(i, -1, Kind.OPENER);
                }
                depth++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && next == '}') {
                if (depth < 2) {
                    int stray = i + (depth == 1 ? 1 : 0);
                    return new Leftover(stray, Math.min(view.length(), stray + 2), Kind.STRAY_CLOSE);
                }
                depth -= 2;
                i++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            } else if (c == '%' && next == '}' && depth == 0) {
                return new Leftover(i, i + 2, Kind.STRAY_CLOSE);
            } else if (c == '<' && next == '<') {
                Leftover angle = angle(view, i);
                if (angle != null) {
                    return angle;
                }
                while (i + 1 < view.length() && view.charAt(i + 1) == '<') {
                    i++;
                }
            }
        }
        return null;
    }

    /** A {@code <<} at {@code open} that starts what reads as an attempted output; null when it is text. */
    private static Leftover angle(String view, int open) {
        if ((open > 0 && view.charAt(open - 1) == '<') || (open + 2 < view.length() && view.charAt(open + 2) == '<')) {
            return null;
        }
        int start = open + 2;
        while (start < view.length() && (view.charAt(start) == ' ' || view.charAt(start) == '\t' || view.charAt(start) == '-')) {
            start++;
        }
        if (start >= view.length()) {
            return null;
        }
        int first = view.codePointAt(start);
        boolean valueStart = first == '_' || first == '\'' || first == '"' || first == '[' || Character.isLetter(first);
        if (!valueStart) {
            return null;
        }
        int wordEnd = start;
        while (wordEnd < view.length() && (Character.isLetterOrDigit(view.charAt(wordEnd)) || view.charAt(wordEnd) == '_')) {
            wordEnd++;
        }
        if (KEYWORDS.contains(view.substring(start, wordEnd))) {
            return null;
        }
        int lineEnd = view.indexOf('\n', open);
        int close = view.indexOf(">>", open + 2);
        if (close >= 0 && (lineEnd < 0 || close < lineEnd)) {
            return new Leftover(open, close + 2, Kind.UNREAD_OUTPUT);
        }
        boolean path = wordEnd < view.length() && wordEnd > start
                && (view.charAt(wordEnd) == '.' || view.charAt(wordEnd) == '[' || view.charAt(wordEnd) == '|');
        return path ? new Leftover(open, -1, Kind.UNCLOSED_ANGLE) : null;
    }

    private static String excerpt(String text, Leftover found) {
        int end = found.end();
        if (end < 0) {
            int lineEnd = text.indexOf('\n', found.index());
            end = Math.min(text.length(), found.index() + EXCERPT);
            end = lineEnd >= 0 && lineEnd < end ? lineEnd : end;
        }
        String shown = text.substring(found.index(), end).strip();
        return shown.length() > EXCERPT ? shown.substring(0, EXCERPT - 1) + "…" : shown;
    }
}
