package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;

/** {@code where: property[, value]}: the items whose property is truthy (or equals value). */
public final class Where extends LiquidFilter {
    public Where() {
        super("where", 1, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        Object property = args[0];
        Object target = arg(args, 1);
        List<Object> out = new ArrayList<>();
        for (Object item : items(input)) {
            Object value = PropertyFilter.property(item, property);
            if (value == PropertyFilter.NOT_INDEXABLE) {
                continue;
            }
            if (target == null ? truthy(value) : same(value, target)) {
                out.add(item);
            }
        }
        return out;
    }
}
