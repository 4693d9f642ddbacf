package dev.journey.templates.liquid;

import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import liqp.TemplateContext;
import liqp.TemplateParser;

/**
 * Finds the variables a preview's template reads but its context does not define, and which
 * {@code default} covered them. liqp's strict mode cannot do this (it throws even inside {@code
 * default}), so the context is wrapped instead: every map and list answers lookups as usual and
 * notes a missing key with its full path ({@code entry_event.data.productName}); top-level names
 * are noted by a parent context that liqp asks when its own variables do not have the name. The
 * {@code default} filter then reports the fallback it used for the miss just before it. Only
 * preview pays for this; ordinary renders never see these wrappers.
 */
public final class Undefined {
    private static final ThreadLocal<Undefined> CURRENT = new ThreadLocal<>();

    /** One undefined variable and the defaults that stood in for it. */
    public record Miss(String path, List<Object> defaults) {}

    private final Map<String, Miss> misses = new LinkedHashMap<>();
    private Miss pending;

    /** Starts recording for this thread's render; returns what to restore afterwards. */
    public static Undefined enter(Undefined recorder) {
        Undefined previous = CURRENT.get();
        CURRENT.set(recorder);
        return previous;
    }

    public static void restore(Undefined previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }

    /** Called by {@code default} when it replaced a blank input: the miss that led to it, if any, used this fallback. */
    public static void defaultUsed(Object fallback) {
        Undefined recorder = CURRENT.get();
        if (recorder != null && recorder.pending != null) {
            recorder.pending.defaults().add(fallback);
            recorder.pending = null;
        }
    }

    public List<Miss> misses() {
        return List.copyOf(misses.values());
    }

    private void missing(String path) {
        pending = misses.computeIfAbsent(path, p -> new Miss(p, new ArrayList<>()));
    }

    private void found() {
        pending = null;
    }

    /** The context's top-level variables, with every nested map and list wrapped to record misses. */
    public Map<String, Object> wrap(Map<String, Object> context) {
        Map<String, Object> out = new LinkedHashMap<>();
        context.forEach((key, value) -> out.put(key, wrap(value, key)));
        return out;
    }

    /** The parent context to render under: it answers "not here" for top-level names and notes them. */
    public TemplateContext parent(TemplateParser parser) {
        return new TemplateContext(parser, new LinkedHashMap<>()) {
            @Override
            public boolean containsKey(String key) {
                boolean found = super.containsKey(key);
                if (!found) {
                    missing(key);
                }
                return found;
            }
        };
    }

    @SuppressWarnings("unchecked")
    private Object wrap(Object value, String path) {
        if (value instanceof Map<?, ?> map && !(value instanceof Tracked)) {
            return new TrackedMap((Map<String, Object>) map, path);
        }
        if (value instanceof List<?> list && !(value instanceof Tracked)) {
            return new TrackedList((List<Object>) list, path);
        }
        if (value instanceof Collection<?> c && !(value instanceof Tracked)) {
            return new TrackedList(new ArrayList<>(c), path);
        }
        return value;
    }

    private interface Tracked {}

    private final class TrackedMap extends AbstractMap<String, Object> implements Tracked {
        private final Map<String, Object> map;
        private final String path;

        TrackedMap(Map<String, Object> map, String path) {
            this.map = map;
            this.path = path;
        }

        @Override
        public Object get(Object key) {
            Object value = map.get(key);
            if (value == null && !map.containsKey(key)) {
                missing(path + "." + key);
                return null;
            }
            found();
            return wrap(value, path + "." + key);
        }

        @Override
        public boolean containsKey(Object key) {
            return map.containsKey(key);
        }

        @Override
        public Object put(String key, Object value) {
            return map.put(key, value);
        }

        @Override
        public int size() {
            return map.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return map.entrySet();
        }
    }

    private final class TrackedList extends AbstractList<Object> implements Tracked {
        private final List<Object> list;
        private final String path;

        TrackedList(List<Object> list, String path) {
            this.list = list;
            this.path = path;
        }

        @Override
        public Object get(int index) {
            return wrap(list.get(index), path + "[" + index + "]");
        }

        @Override
        public int size() {
            return list.size();
        }
    }
}
