package dev.journey.templates.liquid.tag;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import dev.journey.templates.liquid.node.RangeNode;
import liqp.LValue;
import liqp.TemplateContext;
import liqp.nodes.AtomNode;
import liqp.nodes.AttributeNode;
import liqp.nodes.BlockNode;
import liqp.nodes.LNode;

/**
 * liqp's {@code for}, with three Shopify rules added: {@code limit} and {@code offset} must be
 * whole numbers (an error otherwise); {@code offset: continue} resumes where the last loop over
 * the same variable and collection stopped (liqp fails on it); and a blank body renders nothing.
 */
public final class For extends liqp.blocks.For {
    private static final String PREFIX = "dev.journey.for-offset:";
    /**
     * Where liqp puts the collection's source text among a for tag's nodes: [is-array, variable,
     * collection (or from, to), body, else body (or to, body), text, reversed, attributes…].
     */
    private static final int TEXT = 5;

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        LNode[] args = Boolean.FALSE.equals(nodes[0].render(context)) ? rangeAsArray(context, nodes) : nodes.clone();
        if (args.length > TEXT + 1 && args[TEXT] instanceof AtomNode) {
            track(context, args, TEXT);
        }
        Object out = super.render(context, args);
        if (out == LValue.BREAK || out == LValue.CONTINUE) {
            return out;
        }
        return Blank.bodies(nodes) ? "" : out;
    }

    /** Checks limit/offset, turns {@code offset: continue} into a number and records where this loop ends. */
    private void track(TemplateContext context, LNode[] args, int text) {
        boolean isArray = Boolean.TRUE.equals(args[0].render(context));
        String name = PREFIX + args[1].render(context) + "-" + args[text].render(context);
        Map<String, Object> registry = context.getRegistry(TemplateContext.REGISTRY_FOR);
        Long limit = null;
        long from = 0;
        for (int i = text + 2; i < args.length; i++) {
            if (!(args[i] instanceof AttributeNode) || !(args[i].render(context) instanceof Object[] kv) || kv.length != 2) {
                continue;
            }
            String key = String.valueOf(kv[0]);
            if ("offset".equals(key) && kv[1] == LValue.CONTINUE) {
                from = registry.get(name) instanceof Long l ? l : 0L;
                args[i] = new AttributeNode(new AtomNode("offset"), new AtomNode(from));
            } else if ("offset".equals(key)) {
                from = Math.max(0, whole(key, kv[1]));
            } else if ("limit".equals(key)) {
                limit = kv[1] == null ? null : whole(key, kv[1]);
            }
        }
        long size = isArray ? size(args[2].render(context)) : Math.max(0, RangeNode.bound(args[3].render(context)) - RangeNode.bound(args[2].render(context)) + 1);
        long length = Math.max(0, Math.min(size - from, limit == null ? Long.MAX_VALUE : Math.max(0, limit)));
        registry.put(name, from + length);
    }

    /**
     * liqp miscounts a range loop that has both an offset and a limit, so a range is looped as
     * the array of its values: [false, var, from, to, body, text…] becomes [true, var, values, body, null, text…].
     */
    private static LNode[] rangeAsArray(TemplateContext context, LNode[] nodes) {
        if (nodes.length <= TEXT || !(nodes[4] instanceof BlockNode)) {
            return nodes.clone();
        }
        List<Object> values = RangeNode.values(context, RangeNode.bound(nodes[2].render(context)), RangeNode.bound(nodes[3].render(context)));
        LNode[] args = nodes.clone();
        args[0] = new AtomNode(true);
        args[2] = new AtomNode(values);
        args[3] = nodes[4];
        args[4] = null;
        return args;
    }

    private static long whole(String key, Object value) {
        if (value == null) {
            return 0;
        }
        if (value instanceof Long || value instanceof Integer) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            return n.longValue();
        }
        try {
            return Long.parseLong(String.valueOf(value).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Liquid error: invalid integer for '" + key + "': " + value);
        }
    }

    private static long size(Object collection) {
        if (collection instanceof Collection<?> c) {
            return c.size();
        }
        if (collection instanceof Object[] a) {
            return Arrays.asList(a).size();
        }
        if (collection instanceof Map<?, ?> m) {
            return m.size();
        }
        return collection == null ? 0 : 1;
    }
}
