package dev.journey.worker;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

/** Small JDBC helpers: one transaction around some work, parameters bound in order. */
public final class Jdbc {
    private Jdbc() {}

    /** Binds parameters in order (queries built piece by piece collect them in a list). */
    public static java.sql.PreparedStatement bind(java.sql.PreparedStatement st, java.util.List<?> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            st.setObject(i + 1, params.get(i));
        }
        return st;
    }

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
