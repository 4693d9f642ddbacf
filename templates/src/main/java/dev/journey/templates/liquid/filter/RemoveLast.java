package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code remove_last: search}: removes the last occurrence only. */
public final class RemoveLast extends LiquidFilter {
    public RemoveLast() {
        super("remove_last", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return ReplaceLast.replaceLast(str(input, context), str(args[0], context), "");
    }
}
