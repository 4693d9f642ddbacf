package dev.journey.templates.liquid.filter;

import java.util.List;
import java.util.Map;

import liqp.TemplateContext;

/** {@code first}: the first item of an array (a hash gives its first [key, value]); anything else nil. */
public final class First extends LiquidFilter {
    public First() {
        super("first", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input instanceof Map<?, ?> map) {
            return map.isEmpty() ? null : map.entrySet().stream().findFirst()
                    .map(e -> (Object) List.of(String.valueOf(e.getKey()), e.getValue() == null ? "" : e.getValue())).orElse(null);
        }
        List<?> list = Sequences.list(input);
        return list == null || list.isEmpty() ? null : list.get(0);
    }
}
