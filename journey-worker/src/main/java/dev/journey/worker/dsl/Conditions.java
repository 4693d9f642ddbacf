package dev.journey.worker.dsl;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Evaluates a {@link Condition} against a context of nested maps ({@code data}, {@code entry_event},
 * {@code user}). Pure and deterministic, so workflow code may call it.
 *
 * <p>Values compare as a user expects: numbers as numbers ({@code 10000 > 5000}, {@code 1 == 1.0});
 * an ISO-8601 string with an offset is a time, and a number in the data compared with a time in
 * the condition is read as Unix milliseconds, so the two time formats events carry compare with
 * each other; everything else compares as text. A missing value satisfies only {@code notExists} and {@code neq}.
 */
public final class Conditions {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Conditions() {}

    /** For conditions on the context alone (workflow code: exitOn, goals, waits for events). */
    public static boolean matches(Condition condition, Map<String, Object> context) {
        return matches(condition, context, Facts.NONE);
    }

    public static boolean matches(Condition condition, Map<String, Object> context, Facts facts) {
        return evaluate(condition, context, facts, "", false, null);
    }

    /** The outcome of a condition with the parts that decided it, for the instance's path and non-entry reasons. */
    public record Explained(boolean result, List<ConditionCheck> checks) {}

    /** Evaluates like {@link #matches(Condition, Map, Facts)} and lists the parts that decided the outcome. */
    public static Explained explain(Condition condition, Map<String, Object> context, Facts facts) {
        List<ConditionCheck> checks = new ArrayList<>();
        return new Explained(evaluate(condition, context, facts, "", false, checks), checks);
    }

    /** The one evaluation: {@code checks} (when not null) receives each part evaluated, in order. */
    private static boolean evaluate(Condition condition, Map<String, Object> context, Facts facts, String at, boolean negated,
                                    List<ConditionCheck> checks) {
        if (condition == null) {
            return true;
        }
        if (condition instanceof Condition.All all) {
            for (int i = 0; i < all.all().size(); i++) {
                if (!evaluate(all.all().get(i), context, facts, child(checks, at, "all[" + i + "]"), negated, checks)) {
                    return false;
                }
            }
            return true;
        }
        if (condition instanceof Condition.Any any) {
            for (int i = 0; i < any.any().size(); i++) {
                if (evaluate(any.any().get(i), context, facts, child(checks, at, "any[" + i + "]"), negated, checks)) {
                    return true;
                }
            }
            return false;
        }
        if (condition instanceof Condition.Not not) {
            return !evaluate(not.not(), context, facts, child(checks, at, "not"), !negated, checks);
        }
        if (condition instanceof Condition.Segment segment) {
            boolean in = facts.inSegment(segment.segment());
            record(checks, at, segment.segment(), "in", null, in, in, negated);
            return in;
        }
        if (condition instanceof Condition.EventCount history) {
            long count = facts.countEvents(history);
            boolean result = history.countOrDefault().entrySet().stream()
                    .allMatch(e -> compare(count, Operator.of(e.getKey()), e.getValue()));
            record(checks, at, history.event(), "count", history.countOrDefault(), count, result, negated);
            return result;
        }
        Condition.Compare compare = (Condition.Compare) condition;
        Object expected = compare.valueFrom() != null ? resolve(context, compare.valueFrom()) : plain(compare.value());
        Object actual = resolve(context, compare.path());
        boolean result = compare(actual, compare.op(), expected);
        record(checks, at, compare.path(), compare.op().json(), expected, actual, result, negated);
        return result;
    }

    /** A part's place, built only when explaining (plain matching runs for every event a workflow hears). */
    private static String child(List<ConditionCheck> checks, String at, String part) {
        return checks == null ? at : at.isEmpty() ? part : at + "." + part;
    }

    /** Adds the part evaluated, when explaining: plain matching allocates nothing for it. */
    private static void record(List<ConditionCheck> checks, String at, String field, String op, Object expected, Object actual,
                               boolean result, boolean negated) {
        if (checks != null) {
            checks.add(new ConditionCheck(at, field, op, shown(expected), shown(actual), result, negated ? true : null));
        }
    }

    /** Longest text, and most items, of a value an explanation shows: it travels in workflow histories and paths. */
    static final int SHOWN_CHARS = 200;
    static final int SHOWN_ITEMS = 20;

    private static Object shown(Object value) {
        if (value instanceof String text && text.length() > SHOWN_CHARS) {
            return text.substring(0, SHOWN_CHARS) + "…";
        }
        if (value instanceof List<?> list) {
            return list.stream().limit(SHOWN_ITEMS).map(Conditions::shown).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> shown = new java.util.LinkedHashMap<>();
            map.entrySet().stream().limit(SHOWN_ITEMS).forEach(e -> shown.put(e.getKey(), shown(e.getValue())));
            return shown;
        }
        return value;
    }

    /** Whether the condition reads the user ({@code user.*} paths), so the caller must load tags. */
    public static boolean mentionsUser(Condition condition) {
        if (condition instanceof Condition.All all) {
            return all.all().stream().anyMatch(Conditions::mentionsUser);
        }
        if (condition instanceof Condition.Any any) {
            return any.any().stream().anyMatch(Conditions::mentionsUser);
        }
        if (condition instanceof Condition.Not not) {
            return mentionsUser(not.not());
        }
        if (condition instanceof Condition.Compare compare) {
            return compare.path().startsWith("user") || (compare.valueFrom() != null && compare.valueFrom().startsWith("user"));
        }
        return false;
    }

    /** Whether evaluating the condition needs the subject's history (so I/O, so not in workflow code). */
    public static boolean needsHistory(Condition condition) {
        if (condition instanceof Condition.All all) {
            return all.all().stream().anyMatch(Conditions::needsHistory);
        }
        if (condition instanceof Condition.Any any) {
            return any.any().stream().anyMatch(Conditions::needsHistory);
        }
        if (condition instanceof Condition.Not not) {
            return needsHistory(not.not());
        }
        return condition instanceof Condition.EventCount || condition instanceof Condition.Segment;
    }

    /** Walks a dotted path ({@code entry_event.data.amount}) through nested maps; null when absent. */
    public static Object resolve(Map<String, Object> context, String path) {
        Object current = context;
        for (String part : path.split("\\.")) {
            if (!(current instanceof Map<?, ?> map)) {
                return null;
            }
            current = map.get(part);
        }
        return current;
    }

    private static boolean compare(Object actual, Operator op, Object expected) {
        switch (op) {
            case EXISTS:
                return actual != null;
            case NOT_EXISTS:
                return actual == null;
            case NEQ:
                return !equal(actual, expected);
            default:
                break;
        }
        if (actual == null) {
            return false;
        }
        switch (op) {
            case EQ:
                return equal(actual, expected);
            case GT:
                return ordered(actual, expected, c -> c > 0);
            case GTE:
                return ordered(actual, expected, c -> c >= 0);
            case LT:
                return ordered(actual, expected, c -> c < 0);
            case LTE:
                return ordered(actual, expected, c -> c <= 0);
            case CONTAINS:
                if (actual instanceof List<?> list) {
                    return list.stream().anyMatch(item -> equal(item, expected));
                }
                return expected != null && String.valueOf(actual).contains(String.valueOf(expected));
            case IN:
                return expected instanceof List<?> options && options.stream().anyMatch(o -> equal(actual, o));
            case STARTS_WITH:
                return expected != null && String.valueOf(actual).startsWith(String.valueOf(expected));
            default:
                throw new IllegalStateException("unhandled operator " + op);
        }
    }

    private static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        Integer order = order(a, b);
        return order != null ? order == 0 : a.equals(b);
    }

    private static boolean ordered(Object a, Object b, IntPredicate test) {
        Integer order = order(a, b);
        return order != null && test.test(order);
    }

    /**
     * The order of the actual value and the expected one when they are of a comparable kind (times,
     * numbers, texts); null when they are not. A number in the data compared with an ISO time in
     * the condition is read as Unix milliseconds; a number in the condition is only ever a number.
     */
    private static Integer order(Object actual, Object expected) {
        if (actual == null || expected == null) {
            return null;
        }
        Instant tb = expected instanceof String s ? isoTime(s) : null;
        Instant ta = actual instanceof String s ? isoTime(s)
                : actual instanceof Number n && tb != null ? Instant.ofEpochMilli(n.longValue()) : null;
        if (ta != null && tb != null) {
            return ta.compareTo(tb);
        }
        if (actual instanceof Number na && expected instanceof Number nb) {
            return decimal(na).compareTo(decimal(nb));
        }
        if (actual instanceof String sa && expected instanceof String sb) {
            return sa.compareTo(sb);
        }
        return null;
    }

    /** The shape of a time with offset; PostgreSQL's cond_iso_time uses the same pattern. */
    public static final java.util.regex.Pattern ISO_TIME =
            java.util.regex.Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$");

    /** The instant a string names when it is a time with offset (the catalog's {@code time}), else null. */
    public static Instant isoTime(String s) {
        if (s.length() < 17 || !Character.isDigit(s.charAt(0)) || !ISO_TIME.matcher(s).matches()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal decimal(Number n) {
        return n instanceof BigDecimal d ? d : new BigDecimal(n.toString());
    }

    private static Object plain(JsonNode node) {
        return node == null || node.isNull() ? null : JSON.convertValue(node, Object.class);
    }
}
