package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code truncatewords[: words[, ellipsis]]}: at most {@code words} words (at least one), then the ellipsis. */
public final class Truncatewords extends LiquidFilter {
    public Truncatewords() {
        super("truncatewords", 0, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input == null) {
            return null;
        }
        String text = str(input, context);
        long words = Math.max(1, args.length > 0 ? Slice.integer(args[0]) : 15);
        String ellipsis = args.length > 1 ? str(args[1], context) : "...";
        String stripped = text.strip();
        String[] list = stripped.isEmpty() ? new String[0] : stripped.split("\\s+");
        if (list.length <= words) {
            return text;
        }
        return String.join(" ", java.util.Arrays.copyOf(list, (int) words)) + ellipsis;
    }
}
