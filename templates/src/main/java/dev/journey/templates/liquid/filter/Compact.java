package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;

/** {@code compact[: property]}: the items without nils (or without those whose property is nil). */
public final class Compact extends LiquidFilter {
    public Compact() {
        super("compact", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Object property = arg(args, 0);
        List<Object> out = new ArrayList<>();
        for (Object item : items(input)) {
            Object value = property == null ? item : PropertyFilter.property(item, property);
            if (value != null && value != PropertyFilter.NOT_INDEXABLE) {
                out.add(item);
            }
        }
        return out;
    }
}
