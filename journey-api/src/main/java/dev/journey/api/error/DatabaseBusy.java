package dev.journey.api.error;

import java.sql.SQLException;
import java.util.Locale;

/** Tells a failure to get a pooled connection in time (overload, worth a retry) from any other database failure. */
final class DatabaseBusy {
    /**
     * In Agroal's message when no connection was free within {@code quarkus.datasource.jdbc.acquisition-timeout}
     * ("Sorry, acquisition timeout!"; "Acquisition timeout while waiting for new connection").
     */
    private static final String ACQUISITION_TIMEOUT = "acquisition timeout";

    private DatabaseBusy() {}

    static boolean causedBy(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException && t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(ACQUISITION_TIMEOUT)) {
                return true;
            }
        }
        return false;
    }
}
