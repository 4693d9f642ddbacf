package dev.journey.templates.liquid.filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import liqp.TemplateContext;

/** {@code base64_encode}: standard Base64 with padding. */
public final class Base64Encode extends LiquidFilter {
    public Base64Encode() {
        super("base64_encode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return Base64.getEncoder().encodeToString(str(input, context).getBytes(StandardCharsets.UTF_8));
    }
}
