package dev.journey.templates.liquid.node;

import liqp.TemplateContext;
import liqp.nodes.AtomNode;
import liqp.nodes.ContainsNode;
import liqp.nodes.LNode;

/**
 * {@code contains} as Shopify Liquid reads it: when either side is nil or false (an undefined
 * variable too) the answer is false — liqp finds a nil in any list. Otherwise liqp's own node.
 */
public final class Contains implements LNode {
    private final LNode lhs;
    private final LNode rhs;

    public Contains(LNode lhs, LNode rhs) {
        this.lhs = lhs;
        this.rhs = rhs;
    }

    @Override
    public Object render(TemplateContext context) {
        Object left = lhs.render(context);
        Object right = rhs.render(context);
        if (left == null || right == null || Boolean.FALSE.equals(left) || Boolean.FALSE.equals(right)) {
            return false;
        }
        return new ContainsNode(new AtomNode(left), new AtomNode(right)).render(context);
    }
}
