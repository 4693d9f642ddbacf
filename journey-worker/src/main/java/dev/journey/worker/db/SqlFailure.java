package dev.journey.worker.db;

import java.sql.SQLException;

/** The database refused or failed a statement; callers decide whether that is retryable. */
public class SqlFailure extends RuntimeException {
    public SqlFailure(SQLException cause) {
        super(cause.getMessage(), cause);
    }

    /** PostgreSQL's SQLSTATE, e.g. 23505 for a unique violation. */
    public String sqlState() {
        return ((SQLException) getCause()).getSQLState();
    }

    /** Cancelled for running longer than its statement timeout (57014, query_canceled). */
    public boolean timedOut() {
        return "57014".equals(sqlState());
    }
}
