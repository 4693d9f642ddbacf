package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** {@code reject: property[, value]}: the items whose property is falsy (or not equal to value). */
public final class Reject extends PropertyFilter {
    public Reject() {
        super("reject");
    }

    @Override
    protected Object select(List<Object> items, Function<Object, Boolean> matches, boolean empty) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            Boolean match = matches.apply(item);
            if (match == null) {
                return null;
            }
            if (!match) {
                kept.add(item);
            }
        }
        return kept;
    }
}
