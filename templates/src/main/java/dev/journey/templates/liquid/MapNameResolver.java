package dev.journey.templates.liquid;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.Map;

import liqp.antlr.CharStreamWithLocation;
import liqp.antlr.NameResolver;

/**
 * Partials ({@code {% render 'name' %}}, {@code {% include 'name' %}}) looked up by name in a
 * map (a project's snippets, or a preview's inline partials) instead of a folder.
 */
public final class MapNameResolver implements NameResolver {
    private final Map<String, String> partials;

    public MapNameResolver(Map<String, String> partials) {
        this.partials = Map.copyOf(partials);
    }

    @Override
    public CharStreamWithLocation resolve(String name) throws IOException {
        String source = partials.get(name);
        if (source == null) {
            throw new NoSuchFileException(name, null, "no partial named '" + name + "'");
        }
        return new CharStreamWithLocation(LexerInput.of(source, name));
    }

    /** The source of a partial, or {@code null} when there is none by that name. */
    public String source(String name) {
        return partials.get(name);
    }
}
