package dev.journey.api.runtime;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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

import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.journey.Checkpoint;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.journey.JourneyInput;
import dev.journey.worker.journey.JourneyState;
import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.Startup;

/**
 * Makes every instance that PostgreSQL calls active run in Temporal, from its checkpoint.
 * <ul>
 * <li>At start-up with the in-process service (which remembers nothing): every active instance is
 *     started again, before the dispatcher signals any of them.</li>
 * <li>With a Temporal cluster: each active instance is looked up; one Temporal does not know is
 *     resumed, one it closed (an operator terminated it) is recorded as ended.</li>
 * <li>When a signal finds no workflow: that one instance, the same way.</li>
 * <li>From time to time, with the in-process service: once enough journeys have finished since
 *     the last time (at least {@code journey.temporal.recycle-after}, and at least as many as are
 *     running, so the work stays proportional), the service is replaced with a fresh one and the
 *     running instances resumed on it — what keeps the heap from growing with finished journeys.</li>
 * </ul>
 * A resumed step keeps its deadline, hears again the events it had not used and those that arrived
 * while nothing ran it, and a message step sends only what the message log does not call sent,
 * with the same idempotency key.
 */
@Startup
@ApplicationScoped
public class InstanceRecovery {
    private static final Logger LOG = Logger.getLogger(InstanceRecovery.class);
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final int PAGE = 500;
    private static final String ROWS = "SELECT i.workflow_id, i.project_id, i.journey_id, i.journey_version, i.checkpoint::text,"
            + " i.listens_to, j.status, v.definition::text, e.id, e.event_id, e.type, e.subject_type, e.subject_id, e.data::text,"
            + " e.occurred_at FROM journey_instance i JOIN journey j ON j.id = i.journey_id"
            + " JOIN journey_version v ON v.journey_id = i.journey_id AND v.version = i.journey_version"
            + " JOIN event e ON e.id = i.entry_event_id WHERE i.status = 'active' AND i.ended_at IS NULL";
    /** Events of the subject the instance listens to that it has not heard (or heard and not used), oldest first. */
    private static final String MISSED = "SELECT id, type, data::text, occurred_at, received_at FROM event"
            + " WHERE project_id = ? AND subject_type = ? AND subject_id = ? AND type = ANY(?) AND id > ? AND NOT (id = ANY(?))"
            + " ORDER BY id LIMIT " + JourneyState.MAX_SEEN;

    record Instance(String workflowId, String projectId, String journeyId, int version, String checkpoint, String[] listensTo,
                    String journeyStatus, String definition, EntryEvent entryEvent) {}

    /** How one pass went. */
    record Pass(int resumed, int ended, int running, long millis) {}

    @Inject
    TemporalRuntime temporal;
    @Inject
    AgroalDataSource db;
    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "journey.temporal.recycle-after")
    long recycleAfter;
    @ConfigProperty(name = "journey.recovery.concurrency")
    int concurrency;

    private final CountDownLatch ready = new CountDownLatch(1);
    private final Map<String, JourneyDefinition> definitions = new ConcurrentHashMap<>();
    private ExecutorService pool;
    private volatile boolean running = true;
    private Thread thread;

    @PostConstruct
    void start() {
        pool = Threads.pool("journey-recovery", concurrency);
        thread = Threads.daemon(this::run, "journey-recovery");
        thread.start();
    }

    /** Blocks until the start-up pass is done: the dispatcher signals instances only once they run again. */
    public void awaitReady() throws InterruptedException {
        ready.await();
    }

    private void run() {
        Pass startUp = null;
        while (running && startUp == null) {
            try {
                startUp = pass(this::reconcile);
                if (startUp.resumed() + startUp.ended() > 0) {
                    LOG.infof("resumed %d running journey instance(s), ended %d, in %d ms", startUp.resumed(), startUp.ended(),
                            startUp.millis());
                }
            } catch (RuntimeException | SQLException e) {
                LOG.warnf("resuming journey instances failed, retrying: %s", e.getMessage());
                LOG.debug("resume failure", e);
                Threads.pause(Duration.ofSeconds(2));
            }
        }
        ready.countDown();
        if (temporal.inProcess() && !temporal.timeSkipping() && recycleAfter > 0) {
            long endedBefore = temporal.instancesEnded();
            while (running) {
                Threads.pause(Duration.ofSeconds(2));
                long ended = temporal.instancesEnded() - endedBefore;
                try {
                    if (ended >= recycleAfter && ended >= countActive()) {
                        endedBefore = temporal.instancesEnded();
                        replaceService(ended);
                    }
                } catch (RuntimeException | SQLException e) {
                    LOG.warnf("replacing the in-process Temporal service failed: %s", e.getMessage());
                    LOG.debug("replace failure", e);
                }
            }
        }
    }

    private void replaceService(long ended) {
        long t0 = System.nanoTime();
        Pass[] pass = new Pass[1];
        temporal.replaceInProcessService(starter -> {
            while (pass[0] == null) {
                try {
                    pass[0] = resumeAll(starter);
                } catch (SQLException e) {
                    LOG.warnf("resuming on the new Temporal service failed, retrying: %s", e.getMessage());
                    Threads.pause(Duration.ofSeconds(1));
                }
            }
        }, Duration.ofSeconds(30));
        LOG.infof("replaced the in-process Temporal service: %d finished journeys dropped from memory, %d running ones resumed,"
                + " in %d ms", ended, pass[0].resumed(), (System.nanoTime() - t0) / 1_000_000);
    }

    /** Starts every active instance again from its checkpoint (Temporal is known to have none of them). */
    Pass resumeAll(TemporalRuntime.Starter starter) throws SQLException {
        return pass(instance -> resume(instance, starter));
    }

    private Pass pass(java.util.function.Function<Instance, Outcome> action) throws SQLException {
        long t0 = System.nanoTime();
        java.util.concurrent.atomic.AtomicIntegerArray outcomes = new java.util.concurrent.atomic.AtomicIntegerArray(Outcome.values().length);
        forEachActive(instance -> outcomes.incrementAndGet(action.apply(instance).ordinal()));
        return new Pass(outcomes.get(Outcome.RESUMED.ordinal()), outcomes.get(Outcome.ENDED.ordinal()),
                outcomes.get(Outcome.RUNNING.ordinal()), (System.nanoTime() - t0) / 1_000_000);
    }

    /** One instance a signal could not reach: resumed if it should run, recorded as ended if Temporal ended it. */
    public void recover(String workflowId) {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(ROWS + " AND i.workflow_id = ?")) {
            st.setString(1, workflowId);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next()) {
                    reconcile(instance(rs));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("instance " + workflowId + " could not be recovered: " + e.getMessage(), e);
        }
    }

    private enum Outcome { RESUMED, ENDED, RUNNING }

    /**
     * The in-process service knows nothing it was not told since this start: resume. A cluster is
     * asked: what it does not know is resumed, what it closed is recorded as ended.
     */
    private Outcome reconcile(Instance instance) {
        return temporal.inProcess() ? resume(instance, temporal::start) : repair(instance);
    }

    private Outcome repair(Instance instance) {
        return switch (temporal.presence(instance.workflowId())) {
            case RUNNING -> Outcome.RUNNING;
            case UNKNOWN -> resume(instance, temporal::start);
            case COMPLETED -> end(instance, "completed", null);
            case CLOSED_OTHERWISE -> end(instance, "exited", "ended in Temporal (terminated, failed or timed out)");
        };
    }

    private Outcome resume(Instance instance, TemporalRuntime.Starter starter) {
        if ("archived".equals(instance.journeyStatus())) {
            // The archive's stop signal found nothing running: end it as the signal would have.
            return end(instance, "exited", "archived");
        }
        try {
            if (!starter.start(instance.workflowId(), input(instance))) {
                return Outcome.RUNNING;
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("instance " + instance.workflowId() + " could not be resumed: " + e.getMessage(), e);
        }
        InstanceRecords.resumed(db, instance.workflowId());
        return Outcome.RESUMED;
    }

    private Outcome end(Instance instance, String status, String reason) {
        InstanceRecords.end(db, instance.workflowId(), status, reason);
        return Outcome.ENDED;
    }

    private JourneyInput input(Instance instance) throws SQLException, JsonProcessingException {
        JourneyDefinition journey = definitions.get(instance.journeyId() + "/" + instance.version());
        if (journey == null) {
            journey = json.readValue(instance.definition(), JourneyDefinition.class);
            definitions.put(instance.journeyId() + "/" + instance.version(), journey);
        }
        Checkpoint checkpoint = instance.checkpoint() == null ? null : json.readValue(instance.checkpoint(), Checkpoint.class);
        JourneyState state = checkpoint == null ? null : JourneyState.resumedFrom(checkpoint);
        List<InboundEvent> events = missed(instance, checkpoint, state);
        return new JourneyInput(instance.projectId(), instance.journeyId(), instance.version(), journey, instance.entryEvent(),
                state, new JourneyInput.Resume(checkpoint == null ? null : checkpoint.wakeAtMillis(), events));
    }

    private List<InboundEvent> missed(Instance instance, Checkpoint checkpoint, JourneyState state)
            throws SQLException, JsonProcessingException {
        List<InboundEvent> events = new ArrayList<>();
        if (instance.listensTo().length == 0) {
            return events;
        }
        long after = instance.entryEvent().id();
        List<Long> heard = state == null ? List.of() : state.seen;
        // Once the seen list is full its oldest ids have been dropped: everything before what it still holds was heard.
        if (checkpoint != null && checkpoint.seen().size() >= JourneyState.MAX_SEEN) {
            after = Math.max(after, checkpoint.seen().stream().mapToLong(Long::longValue).min().orElse(after) - 1);
        }
        EntryEvent entry = instance.entryEvent();
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(MISSED)) {
            st.setString(1, instance.projectId());
            st.setString(2, entry.subjectType());
            st.setString(3, entry.subjectId());
            st.setArray(4, c.createArrayOf("text", instance.listensTo()));
            st.setLong(5, after);
            st.setArray(6, c.createArrayOf("bigint", heard.toArray()));
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    events.add(new InboundEvent(rs.getLong(1), rs.getString(2), json.readValue(rs.getString(3), MAP),
                            rs.getTimestamp(4).toInstant().toString(), rs.getTimestamp(5).getTime()));
                }
            }
        }
        return events;
    }

    private interface RowAction {
        void accept(Instance instance);
    }

    /** Pages through the active instances by workflow id, a page at a time handled concurrently. */
    private void forEachActive(RowAction action) throws SQLException {
        String after = "";
        while (true) {
            List<Instance> page = new ArrayList<>();
            try (Connection c = db.getConnection();
                 PreparedStatement st = c.prepareStatement(ROWS + " AND i.workflow_id > ? ORDER BY i.workflow_id LIMIT " + PAGE)) {
                st.setString(1, after);
                try (ResultSet rs = st.executeQuery()) {
                    while (rs.next()) {
                        page.add(instance(rs));
                    }
                }
            } catch (JsonProcessingException e) {
                throw new SQLException("an entry event could not be read: " + e.getMessage(), e);
            }
            if (page.isEmpty()) {
                return;
            }
            after = page.get(page.size() - 1).workflowId();
            List<Future<?>> done = new ArrayList<>();
            for (Instance instance : page) {
                done.add(pool.submit(() -> action.accept(instance)));
            }
            for (Future<?> f : done) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while resuming instances", e);
                } catch (ExecutionException e) {
                    LOG.warnf("an instance could not be resumed: %s", e.getCause().getMessage());
                }
            }
        }
    }

    private Instance instance(ResultSet rs) throws SQLException, JsonProcessingException {
        Array listens = rs.getArray(6);
        EntryEvent entry = new EntryEvent(rs.getLong(9), rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13),
                json.readValue(rs.getString(14), MAP), rs.getTimestamp(15).toInstant().toString());
        return new Instance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5),
                listens == null ? new String[0] : (String[]) listens.getArray(), rs.getString(7), rs.getString(8), entry);
    }

    private long countActive() throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT count(*) FROM journey_instance WHERE status = 'active'"); ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }


    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
