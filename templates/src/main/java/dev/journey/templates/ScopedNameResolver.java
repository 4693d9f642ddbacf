package dev.journey.templates;

import java.io.IOException;
import java.nio.file.NoSuchFileException;

import dev.journey.templates.liquid.RenderBudget;
import dev.journey.templates.liquid.LexerInput;
import liqp.antlr.CharStreamWithLocation;
import liqp.antlr.NameResolver;

/**
 * liqp fixes the name resolver when the parser is built, but partials belong to one render (one
 * project's snippets, one preview's inline partials). This resolver reads the partials of the
 * render running on the current thread, then a fixed fallback; a name found in neither is an error
 * that names the partial.
 */
final class ScopedNameResolver implements NameResolver {
    private static final ThreadLocal<Partials> CURRENT = new ThreadLocal<>();
    /** The last partial read on this thread: liqp's include reports a failure without saying which partial it was. */
    private static final ThreadLocal<String> LAST = new ThreadLocal<>();

    private final NameResolver fallback;

    public ScopedNameResolver(NameResolver fallback) {
        this.fallback = fallback;
    }

    /** Makes {@code partials} visible to this thread's renders; returns what to restore afterwards. */
    public static Partials enter(Partials partials) {
        Partials previous = CURRENT.get();
        CURRENT.set(partials);
        LAST.remove();
        return previous;
    }

    public static void restore(Partials previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** The name of the partial read last on this thread, or null. */
    public static String lastResolved() {
        return LAST.get();
    }

    /** The source (as written) of a partial of this thread's render, or null. */
    public static String source(String name) {
        Partials partials = CURRENT.get();
        return partials == null || name == null ? null : partials.source(name);
    }

    @Override
    public CharStreamWithLocation resolve(String name) throws IOException {
        RenderBudget.check();
        LAST.set(name);
        Partials partials = CURRENT.get();
        String source = partials == null ? null : partials.source(name);
        if (source != null) {
            return new CharStreamWithLocation(LexerInput.of(AngleBrackets.translate(source), name));
        }
        if (fallback != null) {
            return fallback.resolve(name);
        }
        throw new NoSuchFileException(name, null, "there is no snippet named '" + name + "'");
    }
}
