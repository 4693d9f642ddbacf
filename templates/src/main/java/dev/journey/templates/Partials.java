package dev.journey.templates;

import java.util.Map;

/**
 * Where {@code {% render 'name' %}} and {@code {% include 'name' %}} find their source for one
 * render: a project's snippets, a preview's inline partials, or both. Given per render (not per
 * renderer) so one shared renderer and its parse cache serve every project without one project
 * ever seeing another's snippets.
 */
@FunctionalInterface
public interface Partials {
    Partials NONE = name -> null;

    /** The source of the partial called {@code name}, or {@code null} when there is none. */
    String source(String name);

    static Partials of(Map<String, String> byName) {
        Map<String, String> copy = Map.copyOf(byName);
        return copy::get;
    }

    /** These partials first, then {@code fallback} for names not found here. */
    default Partials orElse(Partials fallback) {
        return name -> {
            String found = source(name);
            return found != null ? found : fallback.source(name);
        };
    }
}
