package dev.journey.templates.liquid;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import dev.journey.templates.AngleBrackets;
import dev.journey.templates.Partials;
import liqp.antlr.CharStreamWithLocation;
import liqp.antlr.NameResolver;
import liqp.org.antlr.v4.runtime.CharStreams;

/**
 * liqp fixes the name resolver when the parser is built, but partials belong to one render (one
 * project's snippets, one preview's inline partials). This resolver reads the partials of the
 * render running on the current thread, then a fixed fallback; a name found in neither is an error
 * that names the partial.
 */
public final class ScopedNameResolver implements NameResolver {
    private static final ThreadLocal<Partials> CURRENT = new ThreadLocal<>();

    private final NameResolver fallback;

    public ScopedNameResolver(NameResolver fallback) {
        this.fallback = fallback;
    }

    /** Makes {@code partials} visible to this thread's renders; returns what to restore afterwards. */
    public static Partials enter(Partials partials) {
        Partials previous = CURRENT.get();
        CURRENT.set(partials);
        return previous;
    }

    public static void restore(Partials previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    @Override
    public CharStreamWithLocation resolve(String name) throws IOException {
        RenderBudget.check();
        Partials partials = CURRENT.get();
        String source = partials == null ? null : partials.source(name);
        if (source != null) {
            return new CharStreamWithLocation(CharStreams.fromString(AngleBrackets.translate(source), name));
        }
        if (fallback != null) {
            return fallback.resolve(name);
        }
        throw new NoSuchFileException(name, null, "there is no snippet named '" + name + "'");
    }
}
