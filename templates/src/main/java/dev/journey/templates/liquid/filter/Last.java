package dev.journey.templates.liquid.filter;

import java.util.List;

import liqp.TemplateContext;

/** {@code last}: the last item of an array; anything else nil. */
public final class Last extends LiquidFilter {
    public Last() {
        super("last", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        List<?> list = Sequences.list(input);
        return list == null || list.isEmpty() ? null : list.get(list.size() - 1);
    }
}
