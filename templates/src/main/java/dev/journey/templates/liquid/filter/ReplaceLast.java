package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code replace_last: search, replacement}: replaces the last occurrence only. */
public final class ReplaceLast extends LiquidFilter {
    public ReplaceLast() {
        super("replace_last", 2, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return replaceLast(str(input, context), str(args[0], context), str(args[1], context));
    }

    static String replaceLast(String text, String search, String replacement) {
        int at = text.lastIndexOf(search);
        return at < 0 ? text : text.substring(0, at) + replacement + text.substring(at + search.length());
    }
}
