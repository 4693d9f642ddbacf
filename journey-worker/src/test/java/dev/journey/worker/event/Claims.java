package dev.journey.worker.event;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Claims for tests on the shared test database, where nobody dispatches and other tests' arrivals pile up. */
final class Claims {
    private Claims() {
    }

    /**
     * Everything claimable, in the caller's transaction: a claim locks a bounded number of arrival
     * rows, so this claims until nothing new comes (the retried rows it already locked come back
     * each time, the arrivals it took are gone).
     */
    static List<Outbox.Claimed> all(Connection tx) throws SQLException {
        Map<Long, Outbox.Claimed> claimed = new LinkedHashMap<>();
        int before;
        do {
            before = claimed.size();
            Outbox.claim(tx, 100_000).forEach(c -> claimed.putIfAbsent(c.id(), c));
        } while (claimed.size() > before);
        return new ArrayList<>(claimed.values());
    }
}
