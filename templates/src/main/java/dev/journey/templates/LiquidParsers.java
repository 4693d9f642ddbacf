package dev.journey.templates;

import java.util.ArrayList;
import java.util.List;

import dev.journey.templates.liquid.BudgetTransformer;
import dev.journey.templates.liquid.filter.*;
import dev.journey.templates.liquid.tag.Case;
import dev.journey.templates.liquid.tag.Cycle;
import dev.journey.templates.liquid.tag.Echo;
import dev.journey.templates.liquid.tag.For;
import dev.journey.templates.liquid.tag.If;
import dev.journey.templates.liquid.tag.Liquid;
import dev.journey.templates.liquid.tag.Render;
import dev.journey.templates.liquid.tag.Unless;
import liqp.TemplateParser;
import liqp.antlr.NameResolver;
import liqp.blocks.Block;
import liqp.filters.Filter;
import liqp.parser.Flavor;
import liqp.tags.Tag;

/**
 * The one place that configures liqp: flavour, sandbox limits, and the filters and tags this
 * module adds to (or replaces in) liqp's standard Liquid set. {@code TemplateRenderer} and the
 * conformance runner both build their parser here, so what the suite measures is what ships.
 */
final class LiquidParsers {
    private LiquidParsers() {}

    /** Filters added to liqp's Liquid flavour; a filter with a built-in's name replaces it. */
    static List<Filter> filters() {
        List<Filter> filters = new ArrayList<>(Checked.standard());
        filters.addAll(List.of(
                new Base64Encode(), new Base64Decode(), new Base64UrlSafeEncode(), new Base64UrlSafeDecode(),
                new Find(), new FindIndex(), new Has(), new Reject(), new Sum(),
                new ReplaceLast(), new RemoveLast(),
                new Plus(), new Minus(), new Times(), new DividedBy(), new Modulo(),
                new AtLeast(), new AtMost(), new Ceil(), new Floor(), new Round(), new Default(),
                new First(), new Last(), new Join(), new Sort(), new SortNatural(), new Uniq(), new Compact(),
                new Where(), new MapFilter(), new Concat(), new Slice(), new Split(),
                new Remove(), new RemoveFirst(), new Replace(), new ReplaceFirst(), new NewlineToBr(),
                new Truncate(), new Truncatewords(),
                new NumberWithDelimiter(), new Currency(), new UrlEncode(), new UrlDecode(), new Json(), new Pluralize(),
                new Date()));
        return filters;
    }

    /** Tags added to liqp's Liquid flavour. */
    static List<Tag> tags() {
        return List.of(new Echo(), new Liquid(), new Render());
    }

    /** Blocks added to liqp's Liquid flavour. */
    static List<Block> blocks() {
        return List.of(new If(), new Unless(), new Case(), new For(), new Cycle());
    }

    /** A builder with this module's configuration; add a name resolver or further options and build. */
    public static TemplateParser.Builder builder(TemplateLimits limits) {
        TemplateParser.Builder builder = new TemplateParser.Builder()
                .withFlavor(Flavor.LIQUID)
                .withMaxTemplateSizeBytes(limits.maxTemplateBytes())
                .withMaxSizeRenderedString(limits.maxOutputChars())
                .withMaxIterations(limits.maxIterations())
                .withRenderTransformer(new BudgetTransformer());
        filters().forEach(builder::withFilter);
        tags().forEach(builder::withTag);
        blocks().forEach(builder::withBlock);
        return builder;
    }

    /** The parser for the given limits, resolving partials ({@code render}/{@code include}) through {@code partials}. */
    public static TemplateParser parser(TemplateLimits limits, NameResolver partials) {
        TemplateParser.Builder builder = builder(limits);
        if (partials != null) {
            builder.withNameResolver(partials);
        }
        return builder.build();
    }
}
