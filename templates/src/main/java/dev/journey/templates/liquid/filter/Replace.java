package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code replace: search[, replacement]}: replaces every occurrence (an empty search matches between characters). */
public final class Replace extends LiquidFilter {
    public Replace() {
        super("replace", 1, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return str(input, context).replace(str(args[0], context), str(arg(args, 1), context));
    }
}
