package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code remove: text}: removes every occurrence (nil removes nothing). */
public final class Remove extends LiquidFilter {
    public Remove() {
        super("remove", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        String search = str(args[0], context);
        return search.isEmpty() ? str(input, context) : str(input, context).replace(search, "");
    }
}
