package dev.journey.templates.liquid.filter;

import java.util.Map;
import java.util.stream.Collectors;

import liqp.TemplateContext;

/** {@code join[: glue]}: the items (nested arrays flattened) as text, separated by glue (a space unless given). */
public final class Join extends LiquidFilter {
    public Join() {
        super("join", 0, 1);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        String glue = args.length > 0 ? str(args[0], context) : " ";
        return items(input).stream().map(item -> text(item, context)).collect(Collectors.joining(glue));
    }

    private String text(Object item, TemplateContext context) {
        if (item instanceof Map<?, ?> map && map.isEmpty()) {
            return "{}";
        }
        return str(item, context);
    }
}
