package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;

import liqp.TemplateContext;
import liqp.filters.Filter;
import liqp.parser.Flavor;

/**
 * One of liqp's own standard filters, unchanged except that the number of arguments is checked
 * the way Shopify Liquid checks it ({@code {{ "x" | upcase: 5 }}} is an error, not "X").
 */
public final class Checked extends LiquidFilter {
    private final Filter builtin;

    private Checked(Filter builtin, int minArgs, int maxArgs) {
        super(builtin.name, minArgs, maxArgs);
        this.builtin = builtin;
    }

    @Override
    protected Object filter(Object input, TemplateContext context, Object[] args) {
        return builtin.apply(input, context, args);
    }

    /** Liqp's Liquid-flavour filters with Shopify's argument counts (given after the input). */
    public static List<Filter> standard() {
        List<Filter> filters = new ArrayList<>();
        check(filters, 0, 0, "abs", "capitalize", "downcase", "escape", "escape_once", "lstrip", "rstrip", "strip",
                "newline_to_br", "strip_html", "strip_newlines", "upcase", "url_decode", "url_encode", "size",
                "reverse", "first", "last", "ceil", "floor");
        check(filters, 0, 1, "join", "sort", "sort_natural", "uniq", "compact", "round");
        check(filters, 0, 2, "truncate", "truncatewords");
        check(filters, 1, 1, "append", "prepend", "split", "map", "concat", "date", "plus", "minus", "times",
                "divided_by", "modulo", "at_least", "at_most", "remove", "remove_first");
        check(filters, 1, 2, "slice", "where", "replace", "replace_first");
        return filters;
    }

    private static void check(List<Filter> into, int min, int max, String... names) {
        for (String name : names) {
            Filter builtin = Flavor.LIQUID.getFilters().get(name);
            if (builtin != null) {
                into.add(new Checked(builtin, min, max));
            }
        }
    }
}
