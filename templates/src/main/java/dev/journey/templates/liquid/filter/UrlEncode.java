package dev.journey.templates.liquid.filter;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import liqp.TemplateContext;

/**
 * {@code url_encode}: text made safe for a URL query, as Shopify does it (Ruby's CGI.escape:
 * UTF-8, a space becomes {@code +}, only letters, digits and {@code _ . - ~} stay).
 * {@code {{ "치킨 & beer" | url_encode }}} → {@code %EC%B9%98%ED%82%A8+%26+beer}.
 */
public final class UrlEncode extends LiquidFilter {
    public UrlEncode() {
        super("url_encode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input == null) {
            return null;
        }
        // URLEncoder keeps '*' and encodes '~'; CGI.escape does the opposite
        return URLEncoder.encode(str(input, context), StandardCharsets.UTF_8).replace("*", "%2A").replace("%7E", "~");
    }
}
