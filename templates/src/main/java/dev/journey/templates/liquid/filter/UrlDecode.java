package dev.journey.templates.liquid.filter;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import liqp.TemplateContext;

/**
 * {@code url_decode}: the reverse of {@code url_encode} ({@code +} is a space, {@code %XX} a
 * UTF-8 byte). A {@code %} not followed by two hex digits stays as it is instead of failing, as
 * in Ruby's CGI.unescape. {@code {{ "a+b%26c" | url_decode }}} → {@code a b&c}.
 */
public final class UrlDecode extends LiquidFilter {
    public UrlDecode() {
        super("url_decode", 0, 0);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input == null) {
            return null;
        }
        byte[] bytes = str(input, context).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
