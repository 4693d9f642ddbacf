package dev.journey.templates.liquid.filter;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import liqp.TemplateContext;

/** {@code base64_url_safe_encode}: URL-safe Base64 ({@code -} and {@code _}) with padding. */
public final class Base64UrlSafeEncode extends LiquidFilter {
    public Base64UrlSafeEncode() {
        super("base64_url_safe_encode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return Base64.getUrlEncoder().encodeToString(str(input, context).getBytes(StandardCharsets.UTF_8));
    }
}
