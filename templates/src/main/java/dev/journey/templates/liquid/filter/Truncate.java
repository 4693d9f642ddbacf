package dev.journey.templates.liquid.filter;

import liqp.TemplateContext;

/**
 * {@code truncate[: length[, ellipsis]]}: at most {@code length} characters including the
 * ellipsis ("..." unless given), counted as a reader sees them (grapheme clusters): "안녕하세요"
 * is 5, "👨‍👩‍👧" is 1, and no Hangul syllable, emoji or flag is ever cut in half. On ASCII this is
 * exactly Shopify's truncate.
 * <p>{@code {{ "안녕하세요 여러분" | truncate: 5, "…" }}} → {@code 안녕하세…}
 */
public final class Truncate extends LiquidFilter {
    public Truncate() {
        super("truncate", 0, 2);
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        if (input == null) {
            return null;
        }
        String text = str(input, context);
        long length = args.length > 0 ? Slice.integer(args[0]) : 50;
        String ellipsis = args.length > 1 ? str(args[1], context) : "...";
        // a grapheme is at least one char, so text no longer in chars than the limit always fits
        if (text.length() <= length || Graphemes.count(text) <= length) {
            return text;
        }
        long keep = Math.max(0, length - Graphemes.count(ellipsis));
        return text.substring(0, Graphemes.end(text, keep)) + ellipsis;
    }
}
