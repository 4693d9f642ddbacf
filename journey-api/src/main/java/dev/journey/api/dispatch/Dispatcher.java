package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.dsl.Conditions;
import dev.journey.worker.dsl.Facts;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;

/**
 * Turns stored events into journey entries. One loop serves both the fast path and recovery: the
 * track API wakes it right after each commit, and when nobody wakes it, it still looks at the
 * outbox every second, so whatever a crash left undispatched (committed event, no entry yet) is
 * picked up. Rows are claimed with SKIP LOCKED, so several API replicas can drain one outbox.
 *
 * <p>A batch is one transaction: claim, enter (instance rows), catalog, segments. Workflow starts
 * and signals come after its commit, in {@link InstanceLauncher}, which also holds the loop back
 * when Temporal falls behind.
 */
@Startup
@ApplicationScoped
public class Dispatcher {
    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    /** Claims a batch; the transaction's rollback releases it if dispatching fails, the launcher deletes it once done. */
    private static final String CLAIM = "WITH claimed AS (UPDATE dispatch_outbox SET claimed_at = now() WHERE event_id IN"
            + " (SELECT event_id FROM dispatch_outbox WHERE claimed_at IS NULL ORDER BY event_id LIMIT ? FOR UPDATE SKIP LOCKED)"
            + " RETURNING event_id)"
            + " SELECT e.id, e.project_id, e.type, e.subject_type, e.subject_id FROM claimed c JOIN event e ON e.id = c.event_id"
            + " ORDER BY e.id";
    /** Batches whose dispatch committed but whose launch a crash cut short. */
    private static final String CLAIMED_BEFORE = "SELECT e.id, e.project_id, e.type, e.subject_type, e.subject_id"
            + " FROM dispatch_outbox o JOIN event e ON e.id = o.event_id WHERE o.claimed_at IS NOT NULL AND o.event_id > ?"
            + " ORDER BY o.event_id LIMIT ?";
    /** Only events that start or reach an instance are read whole. */
    private static final String LOAD = "SELECT id, event_id, type, subject_type, subject_id, data::text, occurred_at"
            + " FROM event WHERE id = ANY(?) ORDER BY id";
    /**
     * Running instances of the same subject that listen to the event's type — including those this
     * batch just started, but never with their own entry event.
     */
    private static final String LISTENERS = "SELECT i.workflow_id, c.id FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::text[])"
            + " AS c(id, project_id, subject_type, subject_id, type) JOIN journey_instance i ON i.project_id = c.project_id"
            + " AND i.subject_type = c.subject_type AND i.subject_id = c.subject_id AND i.status = 'active'"
            + " AND c.type = ANY(i.listens_to) AND c.id > i.entry_event_id ORDER BY c.id";

    /** The catalog grows from each claimed batch: one upsert per (project, type), exactly once per event. */
    private static final String CATALOG = "INSERT INTO event_type AS t (project_id, name, source, first_seen_at, last_seen_at, count, properties)"
            + " SELECT project_id, type, CASE WHEN type LIKE '@%' THEN 'system' ELSE 'auto' END, min(received_at), max(received_at),"
            + " count(*), property_types_agg(event_property_types(data)) FROM event WHERE id = ANY(?) GROUP BY project_id, type"
            + " ON CONFLICT (project_id, name) DO UPDATE SET first_seen_at = least(t.first_seen_at, EXCLUDED.first_seen_at),"
            + " last_seen_at = greatest(t.last_seen_at, EXCLUDED.last_seen_at), count = t.count + EXCLUDED.count,"
            + " properties = merge_property_types(t.properties, EXCLUDED.properties)";

    record Claimed(long id, String projectId, String type, String subjectType, String subjectId) {}

    @Inject
    AgroalDataSource db;
    @Inject
    PublishedJourneys journeys;
    @Inject
    JourneyStarter starter;
    @Inject
    InstanceLauncher launcher;
    @Inject
    InstanceRecovery recovery;
    @Inject
    SubjectStore subjects;
    @Inject
    SegmentMembership segments;
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
        loop = Threads.daemon(this::run, "journey-dispatcher");
        loop.start();
    }

    /** Called after a commit: there is work. */
    public void wake() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        try {
            // Signals go only to instances that run again, and batches a crash cut short are finished first.
            recovery.awaitReady();
            relaunchClaimed();
        } catch (InterruptedException e) {
            return;
        } catch (SQLException e) {
            LOG.warnf("batches claimed before the last stop could not be relaunched: %s", e.getMessage());
        }
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
                Threads.pause(idlePoll);
            }
        }
    }

    /** Claims a batch and records the entries its events make, in one transaction; then hands the starts and signals on. */
    int drainOnce() throws SQLException, InterruptedException {
        List<Claimed> claimed;
        List<InstanceLauncher.Start> starts = new ArrayList<>();
        List<InstanceLauncher.Delivery> deliveries;
        int produced;
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (var st = c.createStatement()) {
                    // Losing this commit in a crash only means dispatching again, which starts nothing twice.
                    st.execute("SET LOCAL synchronous_commit TO OFF");
                }
                claimed = claim(c);
                List<Long> triggering = new ArrayList<>();
                for (Claimed event : claimed) {
                    if (!journeys.triggeredBy(c, event.projectId(), event.type()).isEmpty()) {
                        triggering.add(event.id());
                    }
                }
                Map<Long, EntryEvent> loaded = load(c, triggering);
                for (Claimed event : claimed) {
                    if (loaded.containsKey(event.id())) {
                        enter(c, event.projectId(), journeys.triggeredBy(c, event.projectId(), event.type()), loaded.get(event.id()), starts);
                    }
                }
                deliveries = listeners(c, claimed, loaded);
                catalog(c, claimed);
                produced = segments.update(c, claimed);
                c.commit();
            } catch (SQLException | RuntimeException | JsonProcessingException e) {
                c.rollback();
                throw e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            } finally {
                c.setAutoCommit(true);
            }
        }
        if (!claimed.isEmpty()) {
            launcher.launch(claimed.stream().map(Claimed::id).toList(), starts, deliveries);
        }
        // Events this batch produced (segment entries) are already in the outbox: go round again at once.
        return produced > 0 ? batchSize : claimed.size();
    }

    /** Sends again the signals of batches claimed before a crash, then lets the launcher take them out of the outbox. */
    private void relaunchClaimed() throws SQLException, InterruptedException {
        long after = 0;
        while (running) {
            List<Claimed> claimed;
            List<InstanceLauncher.Delivery> deliveries;
            try (Connection c = db.getConnection()) {
                try (PreparedStatement st = c.prepareStatement(CLAIMED_BEFORE)) {
                    st.setLong(1, after);
                    st.setInt(2, batchSize);
                    claimed = claimed(st);
                }
                if (claimed.isEmpty()) {
                    return;
                }
                deliveries = listeners(c, claimed, Map.of());
            } catch (JsonProcessingException e) {
                throw new SQLException(e.getMessage(), e);
            }
            LOG.infof("relaunching %d event(s) dispatched before the last stop", claimed.size());
            after = claimed.get(claimed.size() - 1).id();
            launcher.launch(claimed.stream().map(Claimed::id).toList(), List.of(), deliveries);
        }
    }

    private List<Claimed> claim(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(CLAIM)) {
            st.setInt(1, batchSize);
            return claimed(st);
        }
    }

    /** Rows of (id, project, type, subject type, subject id), as CLAIM and CLAIMED_BEFORE return them. */
    private static List<Claimed> claimed(PreparedStatement st) throws SQLException {
        List<Claimed> claimed = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
                claimed.add(new Claimed(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
            }
        }
        return claimed;
    }

    private static void catalog(Connection c, List<Claimed> claimed) throws SQLException {
        if (claimed.isEmpty()) {
            return;
        }
        java.sql.Array ids = c.createArrayOf("bigint", claimed.stream().map(Claimed::id).toArray());
        try (PreparedStatement st = c.prepareStatement(CATALOG)) {
            st.setArray(1, ids);
            st.executeUpdate();
        }
        // Segments count over the project's users: everyone who sent an event is one.
        try (PreparedStatement st = c.prepareStatement("INSERT INTO app_user (project_id, user_id) SELECT DISTINCT project_id,"
                + " subject_id FROM event WHERE id = ANY(?) AND subject_type = 'user' ON CONFLICT DO NOTHING")) {
            st.setArray(1, ids);
            st.executeUpdate();
        }
    }

    private Map<Long, EntryEvent> load(Connection c, List<Long> ids) throws SQLException, JsonProcessingException {
        Map<Long, EntryEvent> events = new HashMap<>();
        if (ids.isEmpty()) {
            return events;
        }
        try (PreparedStatement st = c.prepareStatement(LOAD)) {
            st.setArray(1, c.createArrayOf("bigint", ids.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.put(rs.getLong(1), new EntryEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), json.readValue(rs.getString(6), MAP), rs.getTimestamp(7).toInstant().toString()));
                }
            }
        }
        return events;
    }

    private void enter(Connection c, String projectId, List<PublishedJourneys.Published> triggered, EntryEvent event,
                       List<InstanceLauncher.Start> starts) throws SQLException {
        for (PublishedJourneys.Published journey : triggered) {
            String segment = journey.definition().trigger().segment();
            if (segment != null && !segment.equals(event.data().get("segmentId"))) {
                continue;
            }
            if (triggers(projectId, journey.definition().trigger().where(), event)) {
                InstanceLauncher.Start start = starter.enter(c, projectId, journey, event);
                if (start != null) {
                    starts.add(start);
                }
            }
        }
    }

    /** The trigger's condition on the event, with the user's tags and history when it asks for them. */
    private boolean triggers(String projectId, Condition where, EntryEvent event) {
        if (where == null) {
            return true;
        }
        Map<String, Object> entry = event.asMap();
        Map<String, Object> context = new HashMap<>(Map.of("data", event.data(), "entry_event", entry));
        if (Conditions.mentionsUser(where)) {
            context.put("user", subjects.user(projectId, event.subjectType(), event.subjectId()));
        }
        Facts history = Conditions.needsHistory(where)
                ? subjects.history(projectId, event.subjectType(), event.subjectId(), entry, Instant.parse(event.timestamp()), Instant.now())
                : Facts.NONE;
        return Conditions.matches(where, context, history);
    }

    /** Each event for each running instance of its subject that waits for, exits on or converts on it. */
    private List<InstanceLauncher.Delivery> listeners(Connection c, List<Claimed> claimed, Map<Long, EntryEvent> loaded)
            throws SQLException, JsonProcessingException {
        List<InstanceLauncher.Delivery> out = new ArrayList<>();
        if (claimed.isEmpty()) {
            return out;
        }
        int n = claimed.size();
        Long[] ids = new Long[n];
        String[] projects = new String[n];
        String[] subjectTypes = new String[n];
        String[] subjectIds = new String[n];
        String[] types = new String[n];
        for (int i = 0; i < n; i++) {
            Claimed e = claimed.get(i);
            ids[i] = e.id();
            projects[i] = e.projectId();
            subjectTypes[i] = e.subjectType();
            subjectIds[i] = e.subjectId();
            types[i] = e.type();
        }
        List<Map.Entry<String, Long>> deliveries = new ArrayList<>();
        try (PreparedStatement st = c.prepareStatement(LISTENERS)) {
            st.setArray(1, c.createArrayOf("bigint", ids));
            st.setArray(2, c.createArrayOf("text", projects));
            st.setArray(3, c.createArrayOf("text", subjectTypes));
            st.setArray(4, c.createArrayOf("text", subjectIds));
            st.setArray(5, c.createArrayOf("text", types));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    deliveries.add(Map.entry(rs.getString(1), rs.getLong(2)));
                }
            }
        }
        if (deliveries.isEmpty()) {
            return out;
        }
        List<Long> missing = deliveries.stream().map(Map.Entry::getValue).filter(id -> !loaded.containsKey(id)).distinct().toList();
        Map<Long, EntryEvent> events = new HashMap<>(loaded);
        events.putAll(load(c, missing));
        for (Map.Entry<String, Long> delivery : deliveries) {
            EntryEvent e = events.get(delivery.getValue());
            out.add(new InstanceLauncher.Delivery(delivery.getKey(), new InboundEvent(e.id(), e.type(), e.data(), e.timestamp())));
        }
        return out;
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
