package dev.journey.worker.db;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The filter-and-page list query, newest first: conditions added as the request names them, then
 * one page after a (time, id) position, one row more than asked to know whether a next page exists.
 * Every list endpoint reads through this, so paging behaves the same everywhere.
 */
public final class Keyset {
    /** Where the previous page ended: the (time, id) of its last row. */
    public record Position(Instant at, Object id) {}

    public record Page<T>(List<T> items, Position next) {}

    private final StringBuilder sql;
    private final List<Object> params = new ArrayList<>();

    private Keyset(String selectFromWhere, Object... params) {
        this.sql = new StringBuilder(selectFromWhere);
        this.params.addAll(List.of(params));
    }

    /** {@code SELECT ... FROM ... WHERE <always-present condition>} and its parameters. */
    public static Keyset select(String selectFromWhere, Object... params) {
        return new Keyset(selectFromWhere, params);
    }

    /** Adds {@code AND condition} when the filter was given (its first parameter is not null). */
    public Keyset and(String condition, Object... params) {
        if (params.length > 0 && params[0] == null) {
            return this;
        }
        sql.append(" AND ").append(condition);
        this.params.addAll(List.of(params));
        return this;
    }

    /**
     * Reads one page ordered by {@code timeColumn DESC, idColumn DESC}. {@code positionOf} gives a
     * row's position, from which the next page starts.
     */
    public <T> Page<T> page(Sql db, String timeColumn, String idColumn, Position after, int limit, Sql.Row<T> row,
                            Function<T, Position> positionOf) {
        List<Object> all = new ArrayList<>(params);
        String query = ordered(sql.toString(), all, timeColumn, idColumn, after, limit);
        return cut(db.list(query, row, all.toArray()), limit, positionOf);
    }

    /**
     * One page merged from several: this query holds {@code %s} where {@code each} (which may name this
     * query's columns, as a lateral subquery) reads its own page; the rows of all of them are ordered and
     * cut again.
     */
    public <T> Page<T> pageOfPages(Sql db, Keyset each, String timeColumn, String idColumn, Position after, int limit,
                                   Sql.Row<T> row, Function<T, Position> positionOf) {
        List<Object> all = new ArrayList<>(params);
        all.addAll(each.params);
        String inner = ordered(each.sql.toString(), all, timeColumn, idColumn, after, limit);
        String query = ordered(sql.toString().formatted(inner), all, timeColumn, idColumn, null, limit);
        // Each page must be read in its index's order, stopping at its limit. Without statistics (a month's
        // partition before autovacuum has analysed it) the planner guessed a few rows per page and chose a
        // bitmap scan that reads and sorts all of them: 0.5 s instead of 2 ms for 400,000 events of a type.
        List<T> rows = db.inTransaction(c -> {
            Sql.update(c, "SET LOCAL enable_bitmapscan = off");
            return Sql.list(c, query, row, all.toArray());
        });
        return cut(rows, limit, positionOf);
    }

    /** The query after {@code after}, newest first, one row more than {@code limit}; adds its parameters to {@code params}. */
    private static String ordered(String query, List<Object> params, String timeColumn, String idColumn, Position after, int limit) {
        StringBuilder q = new StringBuilder(query);
        if (after != null) {
            q.append(" AND (").append(timeColumn).append(", ").append(idColumn).append(") < (?, ?)");
            params.add(after.at());
            params.add(after.id());
        }
        q.append(" ORDER BY ").append(timeColumn).append(" DESC, ").append(idColumn).append(" DESC LIMIT ?");
        params.add(limit + 1);
        return q.toString();
    }

    private static <T> Page<T> cut(List<T> rows, int limit, Function<T, Position> positionOf) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> page = List.copyOf(rows.subList(0, limit));
        return new Page<>(page, positionOf.apply(page.get(limit - 1)));
    }
}
