package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import liqp.TemplateContext;

/** {@code sort[: property]}: ascending, nil last; text and numbers do not compare with each other (an error). */
public final class Sort extends LiquidFilter {
    public Sort() {
        super("sort", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        List<Object> items = new ArrayList<>(items(input));
        Object property = arg(args, 0);
        if (property == null) {
            items.sort(Sort::nilSafeCompare);
            return items;
        }
        if (!items.stream().allMatch(Map.class::isInstance)) {
            return items.isEmpty() ? items : null;
        }
        items.sort(Comparator.comparing(item -> ((Map<?, ?>) item).get(String.valueOf(property)), Sort::nilSafeCompare));
        return items;
    }

    static int nilSafeCompare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof String x && b instanceof String y) {
            return x.compareTo(y);
        }
        throw new FilterException("comparison of " + a.getClass().getSimpleName() + " with " + b.getClass().getSimpleName() + " failed");
    }
}
