package dev.journey.templates.liquid;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Compiled templates and partials, kept per thread (a compiled template holds per-render state, so
 * it belongs to one thread) and bounded by the characters of their sources — a compiled tree
 * grows with its source, so a budget in characters bounds memory where a count of entries would
 * not (256 entries of 64 KB each are 16 MB per thread). Least recently used entries go first.
 *
 * <p>{@link #NONE} caches nothing: previews of templates being written, each one different, use it
 * so they never push out the templates that messages are sent with.
 */
public final class ParseCache {
    /** Per thread: room for hundreds of ordinary templates, a few dozen of the largest allowed. */
    public static final long DEFAULT_MAX_CHARS = 2L * 1024 * 1024;
    public static final ParseCache NONE = new ParseCache(0);

    private static final ThreadLocal<ParseCache> CURRENT = new ThreadLocal<>();

    /** A top-level template and a partial with the same text compile differently: they are kept apart. */
    private record Key(boolean partial, String source) {}

    private final long maxChars;
    private final ThreadLocal<Entries> perThread;

    public ParseCache(long maxChars) {
        this.maxChars = maxChars;
        this.perThread = ThreadLocal.withInitial(Entries::new);
    }

    /** The compiled {@code source}, compiled now when it is not cached. */
    public CompiledTemplate template(String source, Supplier<CompiledTemplate> compile) {
        return get(new Key(false, source), compile);
    }

    public CompiledTemplate partial(String source, Supplier<CompiledTemplate> compile) {
        return get(new Key(true, source), compile);
    }

    private CompiledTemplate get(Key key, Supplier<CompiledTemplate> compile) {
        if (maxChars == 0 || key.source().length() > maxChars) {
            return compile.get();
        }
        Entries entries = perThread.get();
        CompiledTemplate cached = entries.get(key);
        if (cached != null) {
            return cached;
        }
        CompiledTemplate compiled = compile.get();
        entries.put(key, compiled);
        entries.chars += key.source().length();
        Iterator<Key> eldest = entries.keySet().iterator();
        while (entries.chars > maxChars && eldest.hasNext()) {
            entries.chars -= eldest.next().source().length();
            eldest.remove();
        }
        return compiled;
    }

    /** Characters of source cached for the calling thread (for tests and diagnostics). */
    public long cachedChars() {
        return perThread.get().chars;
    }

    /** The cache of the render running on this thread, for the partials it renders; {@link #NONE} outside a render. */
    public static ParseCache current() {
        ParseCache cache = CURRENT.get();
        return cache == null ? NONE : cache;
    }

    /** Makes {@code cache} current for this thread; returns the previous one for {@link #restore}. */
    public static ParseCache enter(ParseCache cache) {
        ParseCache previous = CURRENT.get();
        CURRENT.set(cache);
        return previous;
    }

    public static void restore(ParseCache previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    private static final class Entries extends LinkedHashMap<Key, CompiledTemplate> {
        long chars;

        Entries() {
            super(64, 0.75f, true);
        }

        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }
}
