package dev.journey.templates.liquid.node;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;
import java.util.function.BinaryOperator;

import liqp.TemplateContext;
import liqp.nodes.AtomNode;
import liqp.nodes.EqNode;
import liqp.nodes.GtEqNode;
import liqp.nodes.GtNode;
import liqp.nodes.LNode;
import liqp.nodes.LtEqNode;
import liqp.nodes.LtNode;
import liqp.nodes.NEqNode;

/**
 * {@code == != <> < <= > >=} as Shopify Liquid compares: {@code x == blank} is true for nil, false,
 * a string of spaces and an empty list or map (so also for an undefined variable);
 * {@code x == empty} for an empty string, list or map; {@code !=} is the opposite; and
 * {@code blank} or {@code empty} on either side of an ordering is simply false, never an error.
 * Other values are compared by liqp's own nodes.
 */
public final class Comparison implements LNode {
    private final LNode lhs;
    private final LNode rhs;
    private final boolean equality;
    private final boolean negated;
    /** liqp's node for the operator, built on each side's value (the sides are evaluated once, here). */
    private final BinaryOperator<LNode> liqp;

    public Comparison(LNode lhs, String operator, LNode rhs) {
        this.lhs = lhs;
        this.rhs = rhs;
        this.liqp = switch (operator) {
            case "==" -> EqNode::new;
            case "!=", "<>" -> NEqNode::new;
            case "<" -> LtNode::new;
            case "<=" -> LtEqNode::new;
            case ">" -> GtNode::new;
            case ">=" -> GtEqNode::new;
            default -> throw new IllegalArgumentException("not a comparison: " + operator);
        };
        this.equality = operator.equals("==");
        this.negated = operator.equals("!=") || operator.equals("<>");
    }

    @Override
    public Object render(TemplateContext context) {
        Object left = lhs.render(context);
        Object right = rhs.render(context);
        if (isBlankOrEmpty(left) || isBlankOrEmpty(right)) {
            return (equality || negated) && matches(left, right) == equality;
        }
        return liqp.apply(new AtomNode(left), new AtomNode(right)).render(context);
    }

    private static boolean isBlankOrEmpty(Object value) {
        return AtomNode.isBlank(value) || AtomNode.isEmpty(value);
    }

    /** Whether one side is {@code blank}/{@code empty} and the other is what that word means. */
    private static boolean matches(Object left, Object right) {
        Object word = isBlankOrEmpty(left) ? left : right;
        Object value = word == left ? right : left;
        if (isBlankOrEmpty(value)) {
            return true;
        }
        if (AtomNode.isBlank(word) && (value == null || Boolean.FALSE.equals(value) || value instanceof CharSequence s && s.toString().isBlank())) {
            return true;
        }
        return value instanceof CharSequence s ? s.isEmpty() : hasNoElements(value);
    }

    private static boolean hasNoElements(Object value) {
        if (value instanceof Collection<?> c) {
            return c.isEmpty();
        }
        if (value instanceof Map<?, ?> m) {
            return m.isEmpty();
        }
        return value != null && value.getClass().isArray() && Array.getLength(value) == 0;
    }
}
