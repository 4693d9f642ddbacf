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
        Integer at = firstMatch(items, matches);
        return at == null || at < 0 ? null : (Object) (long) at;
    }
}
