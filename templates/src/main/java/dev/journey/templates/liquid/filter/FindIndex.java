package dev.journey.templates.liquid.filter;

import java.util.List;
import java.util.function.Function;

/** {@code find_index: property[, value]}: the 0-based index of the first matching item, else nil. */
public final class FindIndex extends PropertyFilter {
    public FindIndex() {
        super("find_index");
    }

    @Override
    protected Object select(List<Object> items, Function<Object, Boolean> matches, boolean empty) {
        for (int i = 0; i < items.size(); i++) {
            Boolean match = matches.apply(items.get(i));
            if (match == null) {
                return null;
            }
            if (match) {
                return (long) i;
            }
        }
        return null;
    }
}
