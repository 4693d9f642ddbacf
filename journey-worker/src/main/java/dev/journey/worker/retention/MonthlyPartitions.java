package dev.journey.worker.retention;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

import dev.journey.worker.db.Sql;

/**
 * The months of a table partitioned by range of one time column (V22: {@code event} by
 * {@code received_at}, {@code message} by {@code created_at}), all in UTC. A month is named
 * {@code <table>_pYYYYMM} and ends where that month ends; only the first one, the table as it was
 * before V22, has no lower bound. DDL waits at most {@link #LOCK_WAIT} for its lock: creating or
 * dropping a partition locks the parent, and a long query on it must not make every insert queue
 * behind a waiting DDL. What did not get its lock is done by the next run.
 */
final class MonthlyPartitions {
    static final String LOCK_WAIT = "2s";
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMM");

    private final String table;

    MonthlyPartitions(String table) {
        this.table = table;
    }

    /** One month: its partition's name and the month it ends with. */
    record Month(String name, YearMonth month) {
        Instant end() {
            return month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
    }

    /** The months the table has, oldest first. */
    List<Month> list(Connection c) throws SQLException {
        return Sql.list(c, "SELECT child.relname FROM pg_inherits i JOIN pg_class child ON child.oid = i.inhrelid"
                        + " WHERE i.inhparent = ?::regclass ORDER BY child.relname", rs -> month(rs.getString(1)), table)
                .stream().flatMap(Optional::stream).toList();
    }

    private Optional<Month> month(String name) {
        String prefix = table + "_p";
        if (!name.startsWith(prefix) || name.length() != prefix.length() + 6) {
            return Optional.empty();
        }
        return Optional.of(new Month(name, YearMonth.parse(name.substring(prefix.length()), NAME)));
    }

    String name(YearMonth month) {
        return table + "_p" + month.format(NAME);
    }

    /** Creates the month unless it exists (another replica may have been first); false when its lock did not come in time. */
    boolean create(Connection c, YearMonth month) throws SQLException {
        Instant from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        Instant to = month.plusMonths(1).atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        return ddl(c, "CREATE TABLE IF NOT EXISTS " + name(month) + " PARTITION OF " + table
                + " FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
    }

    /** Drops a month: its rows go at once, without a delete per row. False when its lock did not come in time. */
    boolean drop(Connection c, Month month) throws SQLException {
        return ddl(c, "DROP TABLE IF EXISTS " + month.name());
    }

    private static boolean ddl(Connection c, String statement) throws SQLException {
        Sql.update(c, "SET lock_timeout = '" + LOCK_WAIT + "'");
        try {
            Sql.update(c, statement);
            return true;
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                return false;
            }
            throw e;
        } finally {
            Sql.update(c, "RESET lock_timeout");
        }
    }
}
