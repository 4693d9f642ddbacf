package dev.journey.templates.liquid;

import liqp.RenderTransformer;
import liqp.TemplateContext;
import liqp.TemplateParser;

/**
 * liqp's default rendering of values, plus a render-time check each time liqp starts a block body
 * (once per loop iteration, per branch taken, per template): the hook liqp calls often enough to
 * stop a runaway loop, and cheap (a thread-local read and a clock read).
 */
public final class BudgetTransformer implements RenderTransformer {
    private static final RenderTransformer LIQP = TemplateParser.DEFAULT.getRenderTransformer();

    @Override
    public ObjectAppender.Controller newObjectAppender(TemplateContext context, int estimatedNumberOfAppends) {
        RenderBudget.check();
        return LIQP.newObjectAppender(context, estimatedNumberOfAppends);
    }

    @Override
    public Object transformObject(TemplateContext context, Object object) {
        return LIQP.transformObject(context, object);
    }
}
