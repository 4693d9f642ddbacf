package dev.journey.api.support;

import java.util.Arrays;
import java.util.OptionalDouble;

/** Reads series from the Prometheus text that /q/metrics answers. */
public final class MetricsText {
    private MetricsText() {}

    /** The value of the series {@code name} (labelled or not) whose labels include every one of {@code labels}. */
    public static OptionalDouble value(String metrics, String name, String... labels) {
        return metrics.lines().filter(l -> (l.startsWith(name + "{") || l.startsWith(name + " ")) && Arrays.stream(labels).allMatch(l::contains))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst();
    }
}
