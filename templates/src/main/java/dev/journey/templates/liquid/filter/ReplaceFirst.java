package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code replace_first: search[, replacement]}: replaces the first occurrence only. */
public final class ReplaceFirst extends LiquidFilter {
    public ReplaceFirst() {
        super("replace_first", 1, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return replaceFirst(str(input, context), str(args[0], context), str(arg(args, 1), context));
    }

    static String replaceFirst(String text, String search, String replacement) {
        int at = text.indexOf(search);
        return at < 0 ? text : text.substring(0, at) + replacement + text.substring(at + search.length());
    }
}
