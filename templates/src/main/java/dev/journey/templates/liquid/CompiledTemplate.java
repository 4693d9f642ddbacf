package dev.journey.templates.liquid;

import java.util.Map;
import java.util.function.Consumer;

import liqp.Template;
import liqp.TemplateContext;
import liqp.TemplateParser;
import liqp.nodes.LNode;
import liqp.spi.BasicTypesSupport;

/**
 * A parsed template with its node tree built once. liqp's {@code Template.render} walks the ANTLR
 * parse tree into nodes again on every render (most of a render's time, by profile); here the
 * nodes are built at parse time and rendered directly, with the same steps liqp takes around
 * them (context, environment, render transformer). Nodes keep scratch state while rendering,
 * so like liqp's {@code Template} one instance belongs to one thread (TemplateRenderer caches
 * per thread). Building the nodes also looks every filter up, so an unknown filter is a parse
 * error rather than a render error.
 */
public final class CompiledTemplate {
    private final TemplateParser parser;
    private final LNode root;

    private CompiledTemplate(TemplateParser parser, LNode root) {
        this.parser = parser;
        this.root = root;
    }

    public static CompiledTemplate compile(TemplateParser parser, Template template) {
        LNode root = new LiquidNodeVisitor(parser).visit(template.getParseTree());
        return new CompiledTemplate(parser, root);
    }

    /** Renders with {@code variables}; under {@code parent} when given (its lookups are asked when these variables lack a name). */
    public String render(Map<String, Object> variables, TemplateContext parent) {
        BasicTypesSupport.clearReferences();
        Map<String, Object> evaluated = parser.evaluate(parser.mapper, variables);
        TemplateContext context;
        if (parent == null) {
            context = new TemplateContext(parser, evaluated);
            Consumer<Map<String, Object>> configurator = parser.getEnvironmentMapConfigurator();
            if (configurator != null) {
                configurator.accept(context.getEnvironmentMap());
            }
        } else {
            context = parent.newChildContext(evaluated);
        }
        Object rendered = root.render(context);
        return String.valueOf(parser.getRenderTransformer().transformObject(context, rendered));
    }
}
