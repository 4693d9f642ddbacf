package dev.journey.templates.liquid.tag;

import liqp.LValue;
import liqp.TemplateContext;
import liqp.nodes.LNode;

/** liqp's {@code case}, plus Shopify's rule that a blank body (whitespace and silent tags only) renders nothing. */
public final class Case extends liqp.blocks.Case {
    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        Object out = super.render(context, nodes);
        if (out == LValue.BREAK || out == LValue.CONTINUE) {
            return out;
        }
        return Blank.bodies(nodes) ? "" : out;
    }
}
