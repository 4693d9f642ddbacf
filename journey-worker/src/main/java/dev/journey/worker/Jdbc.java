package dev.journey.worker;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** One transaction around some JDBC work: committed when it returns, rolled back when it throws. */
public final class Jdbc {
    private Jdbc() {}

    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    public static <T> T inTransaction(DataSource db, Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
