package dev.journey.worker.message;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A database that fails the next {@code n} statements containing a given text, the way a dropped
 * connection does (SQLSTATE 08006); everything else goes to the real one. It counts the round trips
 * sent through it: statements prepared and commits.
 */
final class FlakyDataSource implements DataSource {
    private final DataSource db;
    private final String failing;
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicInteger roundTrips = new AtomicInteger();

    FlakyDataSource(DataSource db, String failing) {
        this.db = db;
        this.failing = failing;
    }

    /** The statements prepared and the commits since the last call, which starts the count again. */
    int roundTrips() {
        return roundTrips.getAndSet(0);
    }

    /** The next {@code n} statements containing the text fail. */
    FlakyDataSource failNext(int n) {
        failuresLeft.set(n);
        return this;
    }

    @Override
    public Connection getConnection() throws SQLException {
        return flaky(db.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return flaky(db.getConnection(username, password));
    }

    private Connection flaky(Connection real) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
            if (method.getName().equals("prepareStatement") || method.getName().equals("commit")) {
                roundTrips.incrementAndGet();
            }
            if (method.getName().equals("prepareStatement") && args != null && args[0] instanceof String sql && sql.contains(failing)
                    && failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new SQLException("An I/O error occurred while sending to the backend (test)", "08006");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return db.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        db.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        db.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return db.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return db.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return db.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return db.isWrapperFor(iface);
    }
}
