package dev.journey.templates.liquid.filter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/** Arrays as liqp hands them to filters (Java arrays or collections). */
final class Sequences {
    private Sequences() {}

    /** The input as a list, or null when it is not an array. */
    static List<?> list(Object input) {
        if (input instanceof List<?> list) {
            return list;
        }
        if (input instanceof Collection<?> c) {
            return new ArrayList<>(c);
        }
        if (input instanceof Object[] array) {
            return Arrays.asList(array);
        }
        return null;
    }
}
