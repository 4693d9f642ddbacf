package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import liqp.TemplateContext;

/** {@code sort_natural[: property]}: case-insensitive ascending order of the items as text, nil last. */
public final class SortNatural extends LiquidFilter {
    public SortNatural() {
        super("sort_natural", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        List<Object> items = new ArrayList<>(items(input));
        Object property = arg(args, 0);
        Comparator<Object> byText = (a, b) -> a == null || b == null
                ? (a == null ? (b == null ? 0 : 1) : -1)
                : str(a, context).compareToIgnoreCase(str(b, context));
        if (property == null) {
            items.sort(byText);
            return items;
        }
        if (!items.stream().allMatch(Map.class::isInstance)) {
            return items.isEmpty() ? items : null;
        }
        items.sort(Comparator.comparing(item -> ((Map<?, ?>) item).get(String.valueOf(property)), byText));
        return items;
    }
}
