package dev.journey.templates.liquid.filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import liqp.TemplateContext;

/** {@code base64_decode}: strict standard Base64; invalid input is an error. */
public final class Base64Decode extends LiquidFilter {
    public Base64Decode() {
        super("base64_decode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        try {
            return new String(Base64.getDecoder().decode(str(input, context)), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FilterException("invalid base64 provided to base64_decode");
        }
    }
}
