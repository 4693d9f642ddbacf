package dev.journey.templates.liquid;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.function.Function;

import liqp.Template;

/**
 * Parsed and compiled templates and partials, in two layers, each bounded by the characters of
 * its sources (a tree grows with its source, so a budget in characters bounds memory where a count
 * of entries would not). Least recently used entries go first.
 * <ul>
 *   <li>liqp's parse of a source is read, never changed, by the compile that follows, so it is
 *       shared by every thread: a thread that meets a template for the first time (Temporal's
 *       activity threads come and go with the load) only builds its nodes, the cheap tenth of the work;</li>
 *   <li>a compiled template holds per-render state, so it belongs to one thread: kept per thread.</li>
 * </ul>
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
    private final ThreadLocal<Lru<CompiledTemplate>> perThread;
    /** Guarded by itself; parsing happens outside the lock (two threads may parse a new source at once, which is harmless). */
    private final Lru<Template> shared;
    private long parses;

    public ParseCache(long maxChars) {
        this.maxChars = maxChars;
        this.perThread = ThreadLocal.withInitial(() -> new Lru<>(maxChars));
        this.shared = new Lru<>(maxChars);
    }

    /**
     * The compiled {@code source}: this thread's own when cached, else built from the shared parse
     * ({@code parse} runs only when no thread has parsed it). Both functions may throw; nothing is cached then.
     */
    public CompiledTemplate template(String source, Function<String, Template> parse, Function<Template, CompiledTemplate> build) {
        return get(new Key(false, source), parse, build);
    }

    public CompiledTemplate partial(String source, Function<String, Template> parse, Function<Template, CompiledTemplate> build) {
        return get(new Key(true, source), parse, build);
    }

    private CompiledTemplate get(Key key, Function<String, Template> parse, Function<Template, CompiledTemplate> build) {
        if (maxChars == 0 || key.source().length() > maxChars) {
            return build.apply(parse.apply(key.source()));
        }
        Lru<CompiledTemplate> own = perThread.get();
        CompiledTemplate cached = own.get(key);
        if (cached != null) {
            return cached;
        }
        Template tree;
        synchronized (shared) {
            tree = shared.get(key);
        }
        if (tree == null) {
            tree = parse.apply(key.source());
            synchronized (shared) {
                parses++;
                shared.add(key, tree);
            }
        }
        CompiledTemplate compiled = build.apply(tree);
        own.add(key, compiled);
        return compiled;
    }

    /** Characters of source cached for the calling thread (for tests and diagnostics). */
    public long cachedChars() {
        return perThread.get().chars;
    }

    /** How many sources this cache has parsed, on every thread together (for tests and diagnostics). */
    public long parses() {
        synchronized (shared) {
            return parses;
        }
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

    /** Entries in access order, bounded by the characters of their keys' sources. */
    private static final class Lru<V> extends LinkedHashMap<Key, V> {
        private final long maxChars;
        long chars;

        Lru(long maxChars) {
            super(64, 0.75f, true);
            this.maxChars = maxChars;
        }

        void add(Key key, V value) {
            if (put(key, value) == null) {
                chars += key.source().length();
            }
            Iterator<Key> eldest = keySet().iterator();
            while (chars > maxChars && eldest.hasNext()) {
                chars -= eldest.next().source().length();
                eldest.remove();
            }
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
