package dev.journey.worker.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

/**
 * The one way this project runs hand-written SQL: positional parameters bound in order, rows mapped
 * by a lambda, failures unchecked. A connection taken from the pool joins the caller's transaction
 * when there is one (the API's {@code @Transactional} methods), so a store works the same in the API
 * and in a worker. {@link Instant} parameters are bound as timestamps, {@link #array} as SQL arrays and a
 * {@link StoredName} as its stored value.
 */
public final class Sql {
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** An array parameter, for {@code = ANY(?)} and {@code unnest(?)}: element type as PostgreSQL names it. */
    public record Array(String type, Object[] values) {}

    public static Array array(String type, List<?> values) {
        return new Array(type, values.toArray());
    }

    private final DataSource db;
    /** Cancels a statement of {@link #list}, {@link #first} or {@link #update} that runs longer; 0 for none. */
    private final int timeoutSeconds;

    public Sql(DataSource db) {
        this(db, 0);
    }

    private Sql(DataSource db, int timeoutSeconds) {
        this.db = db;
        this.timeoutSeconds = timeoutSeconds;
    }

    /**
     * The same database, with each statement cancelled by PostgreSQL after {@code timeout} (whole
     * seconds, at least one): a query whose cost depends on what users wrote (a segment) cannot hold a
     * connection and a core for ever. A cancelled statement fails with {@link SqlFailure#timedOut()}.
     */
    public Sql withTimeout(java.time.Duration timeout) {
        return new Sql(db, (int) Math.max(1, timeout.toSeconds()));
    }

    public <T> List<T> list(String sql, Row<T> row, Object... params) {
        return with(c -> {
            try (PreparedStatement st = timed(prepare(c, sql, params)); ResultSet rs = st.executeQuery()) {
                return rows(rs, row);
            }
        });
    }

    public <T> Optional<T> first(String sql, Row<T> row, Object... params) {
        return with(c -> {
            try (PreparedStatement st = timed(prepare(c, sql, params)); ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
            }
        });
    }

    public int update(String sql, Object... params) {
        return with(c -> {
            try (PreparedStatement st = timed(prepare(c, sql, params))) {
                return st.executeUpdate();
            }
        });
    }

    private PreparedStatement timed(PreparedStatement st) throws SQLException {
        if (timeoutSeconds > 0) {
            st.setQueryTimeout(timeoutSeconds);
        }
        return st;
    }

    private static <T> List<T> rows(ResultSet rs, Row<T> row) throws SQLException {
        List<T> rows = new ArrayList<>();
        while (rs.next()) {
            rows.add(row.map(rs));
        }
        return rows;
    }

    /** Runs work on one connection; inside a caller's transaction it is that transaction's connection. */
    public <T> T with(Work<T> work) {
        try (Connection c = db.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new SqlFailure(e);
        }
    }

    /** Runs work in a transaction of its own (for code that no container transaction surrounds). */
    public <T> T inTransaction(Work<T> work) {
        return with(c -> {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                // An Error too: setAutoCommit(true) below would otherwise commit half the work.
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        });
    }

    /**
     * Lets the caller's transaction commit without waiting for its WAL to reach the disk
     * ({@code synchronous_commit} off, for this transaction only): it is visible at once, and a crash
     * of PostgreSQL or the machine within a fraction of a second may undo it — never half of it, and
     * never after a later commit that did wait. Only for writes that are idempotent and made again
     * after a crash (a dispatch, a segment recheck), never for what is acknowledged to a client or hands off.
     */
    public static void commitWithoutWaitingForDisk(Connection tx) throws SQLException {
        update(tx, "SET LOCAL synchronous_commit TO OFF");
    }

    public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            return rows(rs, row);
        }
    }

    public static <T> Optional<T> first(Connection c, String sql, Row<T> row, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params); ResultSet rs = st.executeQuery()) {
            return rs.next() ? Optional.ofNullable(row.map(rs)) : Optional.empty();
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement st = prepare(c, sql, params)) {
            return st.executeUpdate();
        }
    }

    /** One statement run once per row of parameters, sent together (the driver pipelines them): each row's update count. */
    public static int[] batch(Connection c, String sql, List<Object[]> rows) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            for (Object[] params : rows) {
                for (int i = 0; i < params.length; i++) {
                    st.setObject(i + 1, bindable(c, params[i]));
                }
                st.addBatch();
            }
            return st.executeBatch();
        }
    }

    public static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement st = c.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                st.setObject(i + 1, bindable(c, params[i]));
            }
            return st;
        } catch (SQLException | RuntimeException e) {
            st.close();
            throw e;
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    /** A nullable integer column (getInt answers 0 for NULL). */
    public static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /**
     * The values as an array of their element type (String[], Long[], Timestamp[]), the form the
     * hand-written code passed before this helper existed: the driver picks its encoder by the
     * array's class.
     */
    private static Object[] typed(Object[] values) {
        Class<?> type = null;
        for (Object v : values) {
            if (v != null) {
                type = v instanceof Instant ? Timestamp.class : v.getClass();
                break;
            }
        }
        if (type == null) {
            return values;
        }
        Object[] typed = (Object[]) java.lang.reflect.Array.newInstance(type, values.length);
        for (int i = 0; i < values.length; i++) {
            typed[i] = values[i] instanceof Instant instant ? Timestamp.from(instant) : values[i];
        }
        return typed;
    }

    private static Object bindable(Connection c, Object p) throws SQLException {
        if (p instanceof Instant i) {
            return Timestamp.from(i);
        }
        if (p instanceof Array a) {
            return c.createArrayOf(a.type(), typed(a.values()));
        }
        if (p instanceof StoredName name) {
            return name.value();
        }
        return p;
    }
}
