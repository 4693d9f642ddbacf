package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code truncate[: length[, ellipsis]]}: at most {@code length} characters including the ellipsis ("..." unless given). */
public final class Truncate extends LiquidFilter {
    public Truncate() {
        super("truncate", 0, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input == null) {
            return null;
        }
        String text = str(input, context);
        long length = args.length > 0 ? Slice.integer(args[0]) : 50;
        String ellipsis = args.length > 1 ? str(args[1], context) : "...";
        if (text.length() <= length) {
            return text;
        }
        int keep = (int) Math.max(0, length - ellipsis.length());
        return text.substring(0, keep) + ellipsis;
    }
}
