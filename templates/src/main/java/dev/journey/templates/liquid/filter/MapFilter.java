package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;

/** {@code map: property}: the property of every item (nested arrays flattened first). */
public final class MapFilter extends LiquidFilter {
    public MapFilter() {
        super("map", 1, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        List<Object> out = new ArrayList<>();
        for (Object item : items(input)) {
            Object value = PropertyFilter.property(item, args[0]);
            out.add(value == PropertyFilter.NOT_INDEXABLE ? null : value);
        }
        return out;
    }
}
