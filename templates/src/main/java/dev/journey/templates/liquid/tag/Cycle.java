package dev.journey.templates.liquid.tag;

import java.util.Map;

import liqp.TemplateContext;
import liqp.nodes.LNode;

/**
 * liqp's {@code cycle}, except that a named cycle ({@code {% cycle 'group': 'a', 'b' %}}) keeps
 * one position per name, whatever values each occurrence lists — Shopify's rule: the position
 * goes past the end of a shorter list (printing nothing) and wraps at the end of the list used.
 */
public final class Cycle extends liqp.blocks.Cycle {
    private static final String PREFIX = "dev.journey.named-cycle:";

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        if (nodes.length == 0 || nodes[0] == null) {
            return super.render(context, nodes);
        }
        Map<String, Object> registry = context.getRegistry(TemplateContext.REGISTRY_CYCLE);
        String key = PREFIX + asString(nodes[0].render(context), context);
        int values = nodes.length - 1;
        int position = registry.get(key) instanceof Integer i ? i : 0;
        Object value = position < values ? nodes[position + 1].render(context) : null;
        position++;
        registry.put(key, position >= values ? 0 : position);
        return value == null ? "" : asString(value, context);
    }
}
