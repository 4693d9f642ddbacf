package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/** {@code newline_to_br}: puts {@code <br />} before every line break (CRLF or LF). */
public final class NewlineToBr extends LiquidFilter {
    public NewlineToBr() {
        super("newline_to_br", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return str(input, context).replaceAll("\\r?\\n", "<br />\n");
    }
}
