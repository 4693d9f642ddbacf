package dev.journey.templates.liquid.tag;

import java.util.List;

import liqp.TemplateContext;
import liqp.nodes.LNode;
import liqp.tags.Tag;

/** {@code {% echo expr | filters %}}: exactly {@code {{ expr | filters }}}, usable inside {@code {% liquid %}}. */
public final class Echo extends Tag {
    public Echo() {
        super("echo");
    }

    @Override
    public Object render(TemplateContext context, LNode... nodes) {
        List<String> tokens = Markup.tokens(context, nodes);
        if (tokens.isEmpty()) {
            return "";
        }
        return Markup.render(context, "{{ " + Markup.join(tokens) + " }}");
    }
}
