package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.journey.EntryEvent;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;

/**
 * Turns stored events into journey starts. One loop serves both the fast path and recovery: the
 * track API wakes it right after each commit, and when nobody wakes it, it still looks at the
 * outbox every second, so whatever a crash left undispatched (committed event, no start yet) is
 * picked up. Rows are claimed with SKIP LOCKED, so several API replicas can drain one outbox.
 */
@Startup
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Takes a batch out of the outbox; the transaction's rollback puts it back if dispatching fails. */
    private static final String CLAIM = "WITH claimed AS (DELETE FROM dispatch_outbox WHERE event_id IN"
            + " (SELECT event_id FROM dispatch_outbox ORDER BY event_id LIMIT ? FOR UPDATE SKIP LOCKED) RETURNING event_id)"
            + " SELECT e.id, e.project_id, e.type FROM claimed c JOIN event e ON e.id = c.event_id ORDER BY e.id";
    /** Only events that trigger a journey are read whole. */
    private static final String LOAD = "SELECT id, project_id, event_id, subject_type, subject_id, type, data::text, occurred_at"
            + " FROM event WHERE id = ANY(?) ORDER BY id";

    @Inject
    AgroalDataSource db;
    @Inject
    PublishedJourneys journeys;
    @Inject
    JourneyStarter starter;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "journey.dispatch.idle-poll")
    Duration idlePoll;
    @ConfigProperty(name = "journey.dispatch.batch-size")
    int batchSize;
    @ConfigProperty(name = "journey.dispatch.coalesce")
    Duration coalesce;

    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        loop = new Thread(this::run, "journey-dispatcher");
        loop.setDaemon(true);
        loop.start();
    }

    /** Called after a commit: there is work. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        while (running) {
            try {
                if (drainOnce() < batchSize) {
                    if (wakeUps.tryAcquire(idlePoll.toMillis(), TimeUnit.MILLISECONDS)) {
                        // Under load, let a few commits gather: one claim per batch, not per request.
                        Thread.sleep(coalesce.toMillis());
                    }
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                LOG.warnf("dispatch failed, retrying in %s: %s", idlePoll, e.getMessage());
                LOG.debug("dispatch failure", e);
                sleep(idlePoll);
            }
        }
    }

    /** Claims a batch, starts the journeys its events trigger, deletes it from the outbox: one transaction. */
    int drainOnce() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    // Losing this commit in a crash only means dispatching again, which starts nothing twice.
                    st.execute("SET LOCAL synchronous_commit TO OFF");
                }
                int claimed = 0;
                List<Long> triggering = new ArrayList<>();
                try (PreparedStatement st = c.prepareStatement(CLAIM)) {
                    st.setInt(1, batchSize);
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            claimed++;
                            if (!journeys.triggeredBy(c, rs.getString(2), rs.getString(3)).isEmpty()) {
                                triggering.add(rs.getLong(1));
                            }
                        }
                    }
                }
                if (!triggering.isEmpty()) {
                    try (PreparedStatement st = c.prepareStatement(LOAD)) {
                        st.setArray(1, c.createArrayOf("bigint", triggering.toArray()));
                        try (ResultSet rs = st.executeQuery()) {
                            while (rs.next()) {
                                String projectId = rs.getString(2);
                                EntryEvent event = new EntryEvent(rs.getLong(1), rs.getString(3), rs.getString(6),
                                        rs.getString(4), rs.getString(5), json.readValue(rs.getString(7), MAP),
                                        rs.getTimestamp(8).toInstant().toString());
                                enter(c, projectId, journeys.triggeredBy(c, projectId, event.type()), event);
                            }
                        }
                    }
                }
                c.commit();
                return claimed;
            } catch (SQLException | RuntimeException | com.fasterxml.jackson.core.JsonProcessingException e) {
                c.rollback();
                throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void enter(Connection c, String projectId, List<PublishedJourneys.Published> triggered, EntryEvent event)
            throws SQLException {
        for (PublishedJourneys.Published journey : triggered) {
            Map<String, Object> context = Map.of("data", event.data(), "entry_event", event.asMap());
            if (Conditions.matches(journey.definition().trigger().where(), context)) {
                starter.start(c, projectId, journey, event);
            }
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
