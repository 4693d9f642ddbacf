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
        StringBuilder query = new StringBuilder(sql);
        if (after != null) {
            query.append(" AND (").append(timeColumn).append(", ").append(idColumn).append(") < (?, ?)");
            all.add(after.at());
            all.add(after.id());
        }
        query.append(" ORDER BY ").append(timeColumn).append(" DESC, ").append(idColumn).append(" DESC LIMIT ?");
        all.add(limit + 1);
        List<T> rows = db.list(query.toString(), row, all.toArray());
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> page = List.copyOf(rows.subList(0, limit));
        return new Page<>(page, positionOf.apply(page.get(limit - 1)));
    }
}
