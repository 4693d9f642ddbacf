package dev.journey.templates;

import java.nio.file.NoSuchFileException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.journey.templates.liquid.PartialException;
import dev.journey.templates.liquid.RenderBudget;
import liqp.exceptions.ExceededMaxIterationsException;
import liqp.exceptions.LiquidException;

/**
 * Turns liqp's parser and runtime failures into messages a marketer can act on ("the {% if %} on
 * line 2 is never closed (missing {% endif %})" rather than "mismatched input '<EOF>' expecting
 * TagStart"), keeping the 1-based line and column of the spot to fix. Works on the text the
 * marketer wrote: {@code << >>} keeps positions, so no mapping is needed.
 */
final class Diagnostics {
    private static final Set<String> BLOCKS = Set.of("if", "unless", "case", "for", "tablerow", "capture", "comment", "raw");
    private static final Pattern TAG = Pattern.compile("\\{%-?\\s*(end)?([A-Za-z_]\\w*)");
    private static final Pattern RUNTIME_AT = Pattern.compile("error on line (\\d+), index (\\d+): (.*)", Pattern.DOTALL);
    private static final Pattern ARITY = Pattern.compile("(\\w+): wrong number of arguments \\(given (\\d+), expected ([\\d.]+)\\)");
    private static final Pattern NO_FILTER = Pattern.compile("no filter available named: \\|?([^\\s'\"]+)");
    private static final Pattern INVALID_TAG = Pattern.compile("Invalid Tag: '([^']+)'");
    private static final Pattern QUOTED_INPUT = Pattern.compile("(?:mismatched|extraneous|no viable alternative at) input '((?:[^'\\\\]|\\\\.)*)'");

    private Diagnostics() {}

    /** The marketer's version of a parse failure of {@code source}. */
    static TemplateException parseError(String source, RuntimeException e) {
        try {
            return describeParseError(source, e);
        } catch (RuntimeException bug) {
            // explaining must never hide the error itself
            return new TemplateException(String.valueOf(e.getMessage()), 0, 0, e);
        }
    }

    private static TemplateException describeParseError(String source, RuntimeException e) {
        if (e instanceof LiquidException le) {
            return syntax(source, le.getMessage(), le.line, le.charPositionInLine + 1, e);
        }
        return runtime(source, e);
    }

    /** The marketer's version of a render failure. */
    static TemplateException renderError(String source, RuntimeException e) {
        try {
            return describeRenderError(source, e);
        } catch (RuntimeException bug) {
            return new TemplateException(String.valueOf(e.getMessage()), 0, 0, e);
        }
    }

    private static TemplateException describeRenderError(String source, RuntimeException e) {
        if (e instanceof RenderBudget.RenderTimeExceededException) {
            return new TemplateException(e.getMessage(), 0, 0, e);
        }
        TemplateException inPartial = partial(source, e);
        if (inPartial != null) {
            return inPartial;
        }
        if (e instanceof LiquidException le && le.line > 0) {
            return syntax(source, le.getMessage(), le.line, le.charPositionInLine + 1, e);
        }
        return runtime(source, e);
    }

    /**
     * A failure inside a snippet: explained against the snippet's own text ("in snippet 'footer':
     * the {% if %} on line 2 is never closed"), placed where the template uses the snippet.
     */
    private static TemplateException partial(String source, RuntimeException e) {
        String outer = null;
        String name = null;
        RuntimeException inner = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException || t instanceof RenderBudget.RenderTimeExceededException) {
                return null;
            }
            if (t instanceof PartialException p) {
                outer = outer == null ? p.name() : outer;
                name = p.name();
                inner = p.getCause();
            } else if (name == null && String.valueOf(t.getMessage()).contains("problem with evaluating include")
                    && ScopedNameResolver.lastResolved() != null && t.getCause() instanceof RuntimeException cause) {
                outer = ScopedNameResolver.lastResolved();
                name = outer;
                inner = cause;
            }
        }
        if (name == null) {
            return null;
        }
        String partialSource = ScopedNameResolver.source(name);
        TemplateException explained = partialSource == null ? runtime("", inner)
                : inner instanceof LiquidException le && le.line > 0 ? syntax(partialSource, le.getMessage(), le.line, le.charPositionInLine + 1, inner)
                : runtime(partialSource, inner);
        int line = 0;
        int column = 0;
        Matcher use = Pattern.compile("\\{%-?\\s*(?:render|include)\\s+['\"]" + Pattern.quote(outer) + "['\"]").matcher(source);
        if (use.find()) {
            int[] p = position(source, use.start());
            line = p[0];
            column = p[1];
        }
        return new TemplateException((line > 0 ? "line " + line + ", column " + column + ": " : "") + "in snippet '" + name + "': "
                + explained.getMessage(), line, column, e);
    }

    private static TemplateException syntax(String source, String raw, int line, int column, RuntimeException e) {
        String message = raw == null ? "" : raw;
        int[] block = unbalanced(source);
        if (block != null) {
            return new TemplateException(blockMessage(source, block), block[0], block[1], e);
        }
        Matcher invalidTag = INVALID_TAG.matcher(message);
        if (invalidTag.find()) {
            return at(line, column, "there is no tag named '" + invalidTag.group(1) + "'", e);
        }
        int unclosed = unclosedOutput(source);
        if (unclosed >= 0) {
            int[] where = position(source, unclosed);
            return new TemplateException("the {{ on line " + where[0] + ", column " + where[1] + " is never closed (missing }})",
                    where[0], where[1], e);
        }
        String snippet = enclosing(source, line, column);
        if (snippet != null) {
            String kind = snippet.startsWith("{{") ? "output" : "tag";
            return at(line, column, "this " + kind + " cannot be read: " + snippet + " — check its spelling, quotes and filters"
                    + near(message), e);
        }
        return at(line, column, "Liquid syntax error" + near(message), e);
    }

    private static TemplateException runtime(String source, RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int line = 0;
        int column = 0;
        Matcher at = RUNTIME_AT.matcher(message);
        if (at.find()) {
            line = Integer.parseInt(at.group(1));
            column = Integer.parseInt(at.group(2)) + 1;
            message = at.group(3);
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof NoSuchFileException missing) {
                String name = missing.getFile() == null ? "" : missing.getFile().replaceAll(".*/|\\.liquid$", "");
                Matcher use = Pattern.compile("\\{%-?\\s*(?:render|include)\\s+['\"]" + Pattern.quote(name) + "['\"]").matcher(source);
                if (line == 0 && use.find()) {
                    int[] p = position(source, use.start());
                    line = p[0];
                    column = p[1];
                }
                return at(line, column, "there is no snippet named '" + name + "'", e);
            }
            if (t instanceof ExceededMaxIterationsException) {
                return at(line, column, "the template loops too many times (" + t.getMessage().replaceAll("\\D+", "")
                        + " iterations in all at most); make loops shorter", e);
            }
            if (t instanceof RenderBudget.RenderTimeExceededException) {
                return at(line, column, t.getMessage(), e);
            }
        }
        message = message.replace("Liquid error: ", "");
        Matcher arity = ARITY.matcher(message);
        if (arity.find()) {
            message = "the filter '" + arity.group(1) + "' takes " + arity.group(3).replace("..", " to ")
                    + " argument(s), but " + arity.group(2) + " were given";
        }
        Matcher noFilter = NO_FILTER.matcher(message);
        if (noFilter.find()) {
            message = "there is no filter named '" + noFilter.group(1) + "'";
        }
        if (message.startsWith("rendered string exceeds")) {
            message = "the rendered text is too long (" + message.replaceAll("\\D+", " ").trim().split(" ")[0] + " characters at most)";
        }
        if (message.contains("problem with evaluating include")) {
            message = "a snippet used by {% include %} could not be rendered";
        }
        return at(line, column, message, e);
    }

    private static TemplateException at(int line, int column, String message, RuntimeException e) {
        String where = line > 0 ? "line " + line + (column > 0 ? ", column " + column : "") + ": " : "";
        return new TemplateException(where + message, line, column, e);
    }

    private static String near(String raw) {
        Matcher m = QUOTED_INPUT.matcher(raw);
        if (m.find()) {
            String input = m.group(1);
            return "<EOF>".equals(input) ? " (the template ends too early)" : " (near '" + input + "')";
        }
        return "";
    }

    /**
     * The first block that does not balance: {line, column, kind (0 never closed, 1 end without
     * start), index of the tag name}; null when every block is closed.
     */
    private static int[] unbalanced(String source) {
        Deque<int[]> open = new ArrayDeque<>();
        Matcher m = TAG.matcher(source);
        int from = 0;
        while (from < source.length() && m.find(from)) {
            String name = m.group(2);
            boolean end = m.group(1) != null;
            from = m.end();
            if (!end && BLOCKS.contains(name)) {
                open.push(new int[] {m.start(), m.start(2)});
                if ("raw".equals(name) || "comment".equals(name)) {
                    Matcher close = Pattern.compile("\\{%-?\\s*end" + name + "\\s*-?%}").matcher(source);
                    if (!close.find(m.end())) {
                        break;
                    }
                    open.pop();
                    from = close.end();
                }
            } else if (end && BLOCKS.contains(name)) {
                if (open.isEmpty()) {
                    int[] p = position(source, m.start());
                    return new int[] {p[0], p[1], 1, m.start(2)};
                }
                int[] top = open.peek();
                String topName = name(source, top[1]);
                if (!topName.equals(name)) {
                    int[] p = position(source, top[0]);
                    return new int[] {p[0], p[1], 0, top[1]};
                }
                open.pop();
            }
        }
        if (open.isEmpty()) {
            return null;
        }
        int[] top = open.peek();
        int[] p = position(source, top[0]);
        return new int[] {p[0], p[1], 0, top[1]};
    }

    private static String blockMessage(String source, int[] block) {
        String name = name(source, block[3]);
        if (block[2] == 1) {
            return "line " + block[0] + ": {% end" + name + " %} has no matching {% " + name + " %} before it";
        }
        return "the {% " + name + " %} on line " + block[0] + " is never closed (missing {% end" + name + " %})";
    }

    private static String name(String source, int at) {
        int end = at;
        while (end < source.length() && (Character.isLetterOrDigit(source.charAt(end)) || source.charAt(end) == '_')) {
            end++;
        }
        return source.substring(at, end);
    }

    /** Where an output {@code {{} has no closing {@code }}} before the next {@code {{}, or -1. */
    private static int unclosedOutput(String source) {
        int from = 0;
        while (true) {
            int open = source.indexOf("{{", from);
            if (open < 0) {
                return -1;
            }
            int close = source.indexOf("}}", open + 2);
            int next = source.indexOf("{{", open + 2);
            if (close < 0 || (next >= 0 && next < close)) {
                return open;
            }
            from = close + 2;
        }
    }

    /** The {@code {{ … }}} or {@code {% … %}} around (or starting at) line:column, shortened, or null. */
    private static String enclosing(String source, int line, int column) {
        int index = index(source, line, column);
        if (index < 0) {
            return null;
        }
        int start = Math.max(source.lastIndexOf("{{", index), source.lastIndexOf("{%", index));
        if (start < 0) {
            return null;
        }
        boolean output = source.startsWith("{{", start);
        int end = source.indexOf(output ? "}}" : "%}", start);
        if (end < 0) {
            return null;
        }
        String text = source.substring(start, end + 2).replaceAll("\\s+", " ");
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static int index(String source, int line, int column) {
        if (line <= 0) {
            return -1;
        }
        int index = 0;
        for (int l = 1; l < line; l++) {
            index = source.indexOf('\n', index);
            if (index < 0) {
                return -1;
            }
            index++;
        }
        return Math.min(source.length() - 1, index + Math.max(0, column - 1));
    }

    /** 1-based line and column of a character index. */
    static int[] position(String source, int index) {
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < index && i < source.length(); i++) {
            if (source.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return new int[] {line, index - lineStart + 1};
    }
}
