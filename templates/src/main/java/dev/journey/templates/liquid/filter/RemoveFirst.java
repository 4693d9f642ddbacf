package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code remove_first: text}: removes the first occurrence. */
public final class RemoveFirst extends LiquidFilter {
    public RemoveFirst() {
        super("remove_first", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return ReplaceFirst.replaceFirst(str(input, context), str(args[0], context), "");
    }
}
