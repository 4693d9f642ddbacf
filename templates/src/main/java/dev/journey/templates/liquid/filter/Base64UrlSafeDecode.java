package dev.journey.templates.liquid.filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import liqp.TemplateContext;

/** {@code base64_url_safe_decode}: URL-safe Base64, padding optional; invalid input is an error. */
public final class Base64UrlSafeDecode extends LiquidFilter {
    public Base64UrlSafeDecode() {
        super("base64_url_safe_decode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        String text = str(input, context);
        if (text.length() % 4 == 1) {
            throw new FilterException("invalid base64 provided to base64_url_safe_decode");
        }
        try {
            return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FilterException("invalid base64 provided to base64_url_safe_decode");
        }
    }
}
