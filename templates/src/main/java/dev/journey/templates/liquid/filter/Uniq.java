package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import liqp.TemplateContext;

/** {@code uniq[: property]}: the items without repeats (of themselves, or of their property). */
public final class Uniq extends LiquidFilter {
    public Uniq() {
        super("uniq", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Object property = arg(args, 0);
        Set<Object> seen = new HashSet<>();
        List<Object> out = new ArrayList<>();
        for (Object item : items(input)) {
            Object key = property == null ? item : PropertyFilter.property(item, property);
            if (seen.add(key == PropertyFilter.NOT_INDEXABLE ? null : key)) {
                out.add(item);
            }
        }
        return out;
    }
}
