package dev.journey.worker.segment;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.Durations;
import dev.journey.worker.dsl.Operator;

/**
 * Compiles a segment's condition into one SQL query that selects the {@code user_id}s it holds
 * for, so a segment is counted where the data lives: {@code all} → INTERSECT, {@code any} →
 * UNION, {@code not} → the project's users EXCEPT; a tag comparison reads {@code app_user}; an
 * event condition groups the user's events and checks the count (users with no such event count
 * as 0, so "fewer than 3" includes them). Comparisons follow the Java evaluator's rules through the
 * SQL function {@code cond_match}; the common shapes (a number, a tag equal to a text) have direct
 * forms that indexes serve. With {@code onlyUser}, every part is restricted to one user: that is
 * the per-event membership check.
 */
public final class SegmentSql {
    public record Query(String sql, List<Object> params) {
        /** {@code SELECT count(*)} over the users. */
        public Query count() {
            return new Query("SELECT count(*) FROM (" + sql + ") members", params);
        }

        /** Whether the (single, restricted) user is in. */
        public Query exists() {
            return new Query("SELECT EXISTS (" + sql + ")", params);
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Segment references and negations nested in one condition, at most (checked when a segment is saved). */
    public static final int MAX_DEPTH = 8;

    private final String projectId;
    private final String onlyUser;
    private final Instant now;
    private final Function<String, Condition> segments;
    private final List<Object> params = new ArrayList<>();

    private SegmentSql(String projectId, String onlyUser, Instant now, Function<String, Condition> segments) {
        this.projectId = projectId;
        this.onlyUser = onlyUser;
        this.now = now;
        this.segments = segments;
    }

    /**
     * @param onlyUser restrict to this user, or null for everyone
     * @param segments the condition of a segment by id (for segments that refer to segments), null if unknown
     */
    public static Query users(String projectId, Condition condition, String onlyUser, Instant now,
                              Function<String, Condition> segments) {
        SegmentSql compiler = new SegmentSql(projectId, onlyUser, now, segments);
        String sql = compiler.set(condition, 0);
        return new Query(sql, compiler.params);
    }

    /**
     * When one user's membership could next change with no new event, as a query answering a time
     * or null: an event counted in a window back from now ({@code "since": "P30D"}) stops counting
     * at its time plus the window, so the earliest such moment over the events each windowed part
     * counts now (its type and {@code where}, as the membership query reads them) is the first at
     * which the answer can differ. A millisecond later, so the event has left when it is asked.
     * Parts without a relative window ({@code from}/{@code to} dates, tags) never change by time
     * alone. Null (no query) when the condition has no relative window, through the segments it
     * names, so such segments cost nothing more.
     */
    public static Query nextChange(String projectId, Condition condition, String userId, Instant now,
                                   Function<String, Condition> segments) {
        List<Condition.EventCount> windowed = new ArrayList<>();
        windowed(condition, segments, 0, windowed);
        if (windowed.isEmpty()) {
            return null;
        }
        SegmentSql compiler = new SegmentSql(projectId, userId, now, segments);
        List<String> ends = new ArrayList<>();
        for (Condition.EventCount e : windowed) {
            String filter = compiler.eventFilter(e, "user", userId, null);
            compiler.params.add(Durations.stored(e.since()).toMillis() + 1);
            ends.add("(SELECT min(occurred_at) FROM event WHERE " + filter + ") + ? * interval '1 millisecond'");
        }
        return new Query("SELECT least(" + String.join(", ", ends) + ")", compiler.params);
    }

    /** Whether any part of a condition (through the segments it names) counts events in a window back from now. */
    public static boolean changesWithTime(Condition condition, Function<String, Condition> segments) {
        List<Condition.EventCount> windowed = new ArrayList<>();
        windowed(condition, segments, 0, windowed);
        return !windowed.isEmpty();
    }

    private static void windowed(Condition c, Function<String, Condition> segments, int depth, List<Condition.EventCount> out) {
        if (c == null || depth > MAX_DEPTH) {
            return;
        }
        if (c instanceof Condition.All all) {
            all.all().forEach(part -> windowed(part, segments, depth + 1, out));
        } else if (c instanceof Condition.Any any) {
            any.any().forEach(part -> windowed(part, segments, depth + 1, out));
        } else if (c instanceof Condition.Not not) {
            windowed(not.not(), segments, depth + 1, out);
        } else if (c instanceof Condition.Segment ref) {
            windowed(segments.apply(ref.segment()), segments, depth + 1, out);
        } else if (c instanceof Condition.EventCount e && e.since() != null && !Condition.EventCount.SINCE_ENTRY.equals(e.since())) {
            out.add(e);
        }
    }

    /** The segments a condition names itself (not those they name in turn), in order. */
    public static List<String> references(Condition c) {
        List<String> refs = new ArrayList<>();
        collect(c, refs);
        return refs;
    }

    private static void collect(Condition c, List<String> refs) {
        if (c instanceof Condition.Segment ref) {
            refs.add(ref.segment());
        } else if (c instanceof Condition.All all) {
            all.all().forEach(part -> collect(part, refs));
        } else if (c instanceof Condition.Any any) {
            any.any().forEach(part -> collect(part, refs));
        } else if (c instanceof Condition.Not not) {
            collect(not.not(), refs);
        }
    }

    private String set(Condition c, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("segments refer to each other too deeply");
        }
        if (c == null) {
            return population();
        }
        if (c instanceof Condition.All all) {
            return all(all.all(), depth);
        }
        if (c instanceof Condition.Any any) {
            return join(any.any(), " UNION ", depth);
        }
        if (c instanceof Condition.Not not) {
            String all = population();
            return "(" + all + ") EXCEPT (" + set(not.not(), depth + 1) + ")";
        }
        if (c instanceof Condition.Segment ref) {
            Condition referenced = segments.apply(ref.segment());
            return referenced == null ? nobody() : set(referenced, depth + 1);
        }
        if (c instanceof Condition.EventCount events) {
            return events(events);
        }
        Condition.Compare compare = (Condition.Compare) c;
        if (compare.path().startsWith("user.tags.")) {
            String tag = compare.path().substring("user.tags.".length());
            String base = population();
            return base + " AND " + predicate("tags", tag, compare);
        }
        if (compare.path().equals("user.id")) {
            String base = population();
            return base + " AND " + matchCall("to_jsonb(user_id)", compare);
        }
        return nobody();
    }

    /**
     * An event condition among the parts drives the query: the others become a filter on its
     * events' subjects before they are grouped and counted, so the count runs over the users who
     * can still qualify rather than everyone.
     */
    private String all(List<Condition> parts, int depth) {
        Condition.EventCount driver = null;
        for (Condition part : parts) {
            if (part instanceof Condition.EventCount e && !zeroCounts(e)) {
                driver = e;
                break;
            }
        }
        if (driver == null || parts.size() == 1) {
            return join(parts, " INTERSECT ", depth);
        }
        List<Condition> others = new ArrayList<>(parts);
        others.remove(driver);
        return grouped(driver, having(driver), others, depth);
    }

    private String join(List<Condition> parts, String operator, int depth) {
        List<String> sets = new ArrayList<>();
        for (Condition part : parts) {
            sets.add("(" + set(part, depth + 1) + ")");
        }
        return String.join(operator, sets);
    }

    private String population() {
        params.add(projectId);
        if (onlyUser == null) {
            return "SELECT user_id FROM app_user WHERE project_id = ?";
        }
        params.add(onlyUser);
        return "SELECT user_id FROM app_user WHERE project_id = ? AND user_id = ?";
    }

    private static String nobody() {
        return "SELECT user_id FROM app_user WHERE false";
    }

    /** Users whose count of matching events satisfies the condition, those with none included when 0 does. */
    private String events(Condition.EventCount e) {
        if (zeroCounts(e)) {
            String all = population();
            String grouped = grouped(e, "NOT (" + having(e) + ")", List.of(), 0);
            return "(" + all + ") EXCEPT (" + grouped + ")";
        }
        return grouped(e, having(e), List.of(), 0);
    }

    private static String having(Condition.EventCount e) {
        StringBuilder having = new StringBuilder();
        for (Map.Entry<String, Long> test : e.countOrDefault().entrySet()) {
            Operator op = Operator.of(test.getKey());
            having.append(having.length() == 0 ? "" : " AND ").append("count(*) ").append(sqlOperator(op)).append(' ').append(test.getValue());
        }
        return having.toString();
    }

    /** Whether a user with no such event satisfies the count ("fewer than 3", "exactly 0"). */
    private static boolean zeroCounts(Condition.EventCount e) {
        return e.countOrDefault().entrySet().stream().allMatch(t -> holds(0, Operator.of(t.getKey()), t.getValue()));
    }

    /** The users whose events satisfy {@code having}, among those in every one of {@code among} (when any). */
    private String grouped(Condition.EventCount e, String having, List<Condition> among, int depth) {
        String filter = eventFilter(e, "user", onlyUser, null);
        String restriction = among.isEmpty() ? "" : " AND subject_id IN (" + join(among, " INTERSECT ", depth) + ")";
        return "SELECT subject_id AS user_id FROM event WHERE " + filter + restriction + " GROUP BY subject_id HAVING " + having;
    }

    /**
     * How many of one subject's events match an event condition, read by the same filter as
     * segments use; "since entry" counts from {@code entryTime}. At most {@code limit} are read.
     */
    public static Query eventCount(String projectId, String subjectType, String subjectId, Condition.EventCount e,
                                   Instant entryTime, Instant now, int limit) {
        SegmentSql compiler = new SegmentSql(projectId, subjectId, now, id -> null);
        String filter = compiler.eventFilter(e, subjectType, subjectId, entryTime);
        return new Query("SELECT count(*) FROM (SELECT 1 FROM event WHERE " + filter + " LIMIT " + limit + ") matching",
                compiler.params);
    }

    private String eventFilter(Condition.EventCount e, String subjectType, String subjectId, Instant entryTime) {
        StringBuilder sql = new StringBuilder("project_id = ? AND subject_type = ?");
        params.add(projectId);
        params.add(subjectType);
        if (subjectId != null) {
            sql.append(" AND subject_id = ?");
            params.add(subjectId);
        }
        sql.append(" AND type = ?");
        params.add(e.event());
        if (Condition.EventCount.SINCE_ENTRY.equals(e.since())) {
            if (entryTime != null) {
                sql.append(" AND occurred_at >= ?");
                params.add(Timestamp.from(entryTime));
            }
        } else if (e.since() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(Timestamp.from(now.minus(Durations.stored(e.since()))));
        }
        if (e.from() != null) {
            sql.append(" AND occurred_at >= ?");
            params.add(storedTime(e.from()));
        }
        if (e.to() != null) {
            sql.append(" AND occurred_at < ?");
            params.add(storedTime(e.to()));
        }
        if (e.where() != null) {
            sql.append(" AND ").append(dataPredicate(e.where()));
        }
        return sql.toString();
    }

    /** A boolean expression over the event's {@code data} column. */
    private String dataPredicate(Condition c) {
        if (c instanceof Condition.All all) {
            return bool(all.all(), " AND ");
        }
        if (c instanceof Condition.Any any) {
            return bool(any.any(), " OR ");
        }
        if (c instanceof Condition.Not not) {
            return "NOT (" + dataPredicate(not.not()) + ")";
        }
        if (c instanceof Condition.Compare compare && compare.path().startsWith("data.")) {
            return predicate("data", compare.path().substring("data.".length()), compare);
        }
        // Anything else (entry_event.*, user.*) has no value for a segment's events: a missing value.
        return c instanceof Condition.Compare compare ? matchCall("NULL::jsonb", compare) : "false";
    }

    private String bool(List<Condition> parts, String operator) {
        List<String> out = new ArrayList<>();
        parts.forEach(p -> out.add("(" + dataPredicate(p) + ")"));
        return String.join(operator, out);
    }

    /** {@code column -> key} compared as the Java evaluator would, with direct forms for the common cases. */
    private String predicate(String column, String key, Condition.Compare compare) {
        JsonNode value = compare.value();
        Operator op = compare.op();
        String x = column + " -> ?";
        if (compare.valueFrom() == null && value != null && value.isNumber() && sqlOperator(op) != null) {
            // A number in a condition compares only with numbers: one strict jsonpath test, which is
            // unknown (so false) for a missing key, a text or an array — as in Conditions.
            String test = "strict $.\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\" "
                    + (op == Operator.EQ || op == Operator.NEQ ? "==" : sqlOperator(op)) + " " + value.decimalValue().toPlainString();
            params.add(test);
            return (op == Operator.NEQ ? "NOT " : "") + "coalesce(" + column + " @@ ?::jsonpath, false)";
        }
        if (compare.valueFrom() == null && op == Operator.EQ && value != null && (value.isBoolean()
                || (value.isTextual() && !isoTime(value.asText())))) {
            ObjectNode contained = JSON.createObjectNode();
            contained.set(key, value);
            params.add(contained.toString());
            return column + " @> ?::jsonb";
        }
        params.add(key);
        return matchCall(x, compare);
    }

    private String matchCall(String actual, Condition.Compare compare) {
        params.add(compare.op().json());
        params.add(compare.valueFrom() != null || compare.value() == null ? "null" : compare.value().toString());
        return "cond_match(" + actual + ", ?, ?::jsonb)";
    }

    private static boolean isoTime(String s) {
        return Conditions.ISO_TIME.matcher(s).matches();
    }

    private static String sqlOperator(Operator op) {
        return switch (op) {
            case EQ -> "=";
            case NEQ -> "<>";
            case GT -> ">";
            case GTE -> ">=";
            case LT -> "<";
            case LTE -> "<=";
            default -> null;
        };
    }

    private static boolean holds(long count, Operator op, long n) {
        return switch (op) {
            case EQ -> count == n;
            case NEQ -> count != n;
            case GT -> count > n;
            case GTE -> count >= n;
            case LT -> count < n;
            case LTE -> count <= n;
            default -> throw new IllegalArgumentException("count cannot use " + op.json());
        };
    }

    private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59Z");

    /**
     * A from/to as stored. Saving refuses years outside 1–9999; a condition saved before that rule
     * is read at the nearest end of that range rather than failing every query with PostgreSQL's
     * "timestamp out of range".
     */
    private static Timestamp storedTime(String text) {
        Instant t = OffsetDateTime.parse(text).toInstant();
        return Timestamp.from(t.isBefore(EARLIEST) ? EARLIEST : t.isAfter(LATEST) ? LATEST : t);
    }
}
