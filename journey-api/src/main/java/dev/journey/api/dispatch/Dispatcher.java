package dev.journey.api.dispatch;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;


import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.dsl.EventMatch;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.db.Sql;
import dev.journey.worker.event.EventCatalog;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.InboundEvent;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.DeliverySettings;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.subject.SubjectStore;
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
    @Inject
    Sql sql;
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
    EventStore events;
    @Inject
    Outbox outbox;
    @Inject
    SegmentMembership segments;
    @Inject
    DispatchMetrics metrics;
    @Inject
    NonEntries nonEntries;
    @Inject
    DeliverySettingsStore deliverySettings;

    @ConfigProperty(name = "journey.dispatch.idle-poll")
    Duration idlePoll;
    @ConfigProperty(name = "journey.dispatch.batch-size")
    int batchSize;
    @ConfigProperty(name = "journey.dispatch.coalesce")
    Duration coalesce;

    @ConfigProperty(name = "journey.dispatch.statement-timeout")
    Duration statementTimeout;
    @ConfigProperty(name = "journey.dispatch.max-attempts")
    int maxAttempts;
    @ConfigProperty(name = "journey.dispatch.retry-backoff")
    Duration retryBackoff;

    /** A parked event waits for a person anyway; an event still retrying is not left longer than this between attempts. */
    private static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(5);

    private final Semaphore wakeUps = new Semaphore(0);
    private Outbox.RetryPolicy retries;
    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        retries = new Outbox.RetryPolicy(maxAttempts, retryBackoff, MAX_RETRY_BACKOFF);
        loop = Threads.supervised("journey-dispatcher", this::run, idlePoll, () -> running, metrics::restarted);
        loop.start();
    }

    /** Whether the dispatch loop's thread runs (it is restarted after a failure, so only a stop ends it): liveness. */
    public boolean alive() {
        return loop != null && loop.isAlive();
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
        } catch (RuntimeException e) {
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

    /**
     * What one dispatch transaction decided: the events it took, the starts and signals to make after
     * its commit, and the events those come from (the others are done at the commit).
     */
    private record Batch(List<Outbox.Claimed> taken, List<InstanceLauncher.Start> starts,
                         List<InstanceLauncher.Delivery> deliveries, int produced, List<Long> toLaunch) {
        static Batch of(List<Outbox.Claimed> taken, List<Batch> parts) {
            List<InstanceLauncher.Start> starts = new ArrayList<>();
            List<InstanceLauncher.Delivery> deliveries = new ArrayList<>();
            List<Long> toLaunch = new ArrayList<>();
            int produced = 0;
            for (Batch part : parts) {
                starts.addAll(part.starts());
                deliveries.addAll(part.deliveries());
                toLaunch.addAll(part.toLaunch());
                produced += part.produced();
            }
            return new Batch(taken, starts, deliveries, produced, toLaunch);
        }

        /** Ends the claim of the events taken, before the commit. */
        Batch settle(Connection c) throws SQLException {
            Set<Long> launching = new HashSet<>(toLaunch);
            Outbox.settle(c, toLaunch, taken.stream().map(Outbox.Claimed::id).filter(id -> !launching.contains(id)).toList());
            return this;
        }
    }

    /**
     * Claims a batch and records the entries its events make, in one transaction; then hands the
     * starts and signals on. When the batch fails as a whole, it is dispatched again event by event,
     * so one failing event (or project) holds back nobody else: it is retried later on its own.
     */
    int drainOnce() throws InterruptedException {
        Batch batch;
        try {
            batch = sql.inTransaction(c -> whole(c, claim(c)).settle(c));
        } catch (RuntimeException | StackOverflowError e) {
            LOG.warnf("a dispatch batch failed, dispatching its events one by one: %s", e.getMessage());
            batch = sql.inTransaction(c -> eventByEvent(c, claim(c)).settle(c));
        }
        if (!batch.toLaunch().isEmpty()) {
            launcher.launch(batch.toLaunch(), batch.starts(), batch.deliveries());
        }
        // Events this batch produced (segment entries) are already in the outbox: go round again at once.
        return batch.produced() > 0 ? batchSize : batch.taken().size();
    }

    private List<Outbox.Claimed> claim(Connection c) throws SQLException {
        // Losing this commit in a crash only means dispatching again, which starts nothing twice.
        Sql.commitWithoutWaitingForDisk(c);
        // A query that runs away (a heavy segment, a lock) fails its event instead of stalling everyone.
        Sql.update(c, "SET LOCAL statement_timeout TO " + statementTimeout.toMillis());
        return Outbox.claim(c, batchSize);
    }

    private Batch whole(Connection c, List<Outbox.Claimed> claimed) throws SQLException {
        return Batch.of(claimed, List.of(decide(c, claimed)));
    }

    /** Each event behind its own savepoint: a failing one is rolled back alone and released for a later attempt. */
    private Batch eventByEvent(Connection c, List<Outbox.Claimed> claimed) throws SQLException {
        List<Outbox.Claimed> taken = new ArrayList<>();
        List<Batch> parts = new ArrayList<>();
        for (Outbox.Claimed event : claimed) {
            Savepoint before = c.setSavepoint();
            try {
                parts.add(decide(c, List.of(event)));
                c.releaseSavepoint(before);
                taken.add(event);
            } catch (SQLException | RuntimeException | StackOverflowError e) {
                c.rollback(before);
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                boolean parked = Outbox.retryLater(c, event.id(), reason, retries);
                metrics.failed(parked);
                LOG.warnf("event %d of project %s could not be dispatched (%s): %s", event.id(), event.projectId(),
                        parked ? "parked" : "will be retried", reason);
            }
        }
        return Batch.of(taken, parts);
    }

    /** The entries, signals, catalog counts, users and segment changes that some claimed events make. */
    private Batch decide(Connection c, List<Outbox.Claimed> claimed) throws SQLException {
        List<Long> triggering = new ArrayList<>();
        for (Outbox.Claimed event : claimed) {
            if (!journeys.triggeredBy(c, event.projectId(), event.type()).isEmpty()) {
                triggering.add(event.id());
            }
        }
        Map<Long, EntryEvent> loaded = events.load(c, triggering);
        List<InstanceLauncher.Start> starts = new ArrayList<>();
        List<NonEntries.NonEntry> notEntered = new ArrayList<>();
        Map<String, DeliverySettings> settings = new HashMap<>(); // read once per project and batch, when someone enters
        for (Outbox.Claimed event : claimed) {
            if (loaded.containsKey(event.id())) {
                enter(c, event.projectId(), journeys.triggeredBy(c, event.projectId(), event.type()), loaded.get(event.id()), starts,
                        notEntered, settings);
            }
            for (JourneyStore.Published paused : journeys.pausedTriggeredBy(c, event.projectId(), event.type())) {
                if (forThisJourney(paused, loaded.get(event.id()))) {
                    notEntered.add(new NonEntries.NonEntry(paused.journeyId(), event.subjectType(), event.subjectId(), event.id(),
                            NonEntries.PAUSED, Map.of()));
                }
            }
        }
        nonEntries.write(c, notEntered);
        List<InstanceLauncher.Delivery> deliveries = listeners(c, claimed, loaded);
        EventCatalog.count(c, claimed);
        SubjectStore.usersOf(c, claimed);
        int produced = segments.update(c, claimed);
        // Events that enter nobody (loaded: some journey's trigger took their type) and reach no instance are done at the commit.
        Set<Long> toLaunch = new TreeSet<>(loaded.keySet());
        deliveries.forEach(d -> toLaunch.add(d.event().id()));
        return new Batch(claimed, starts, deliveries, produced, List.copyOf(toLaunch));
    }

    /** Sends again the signals of batches claimed before a crash, then lets the launcher take them out of the outbox. */
    private void relaunchClaimed() throws InterruptedException {
        long after = 0;
        while (running) {
            List<Outbox.Claimed> claimed = outbox.claimedAfter(after, batchSize);
            if (claimed.isEmpty()) {
                return;
            }
            List<InstanceLauncher.Delivery> deliveries = sql.with(c -> listeners(c, claimed, Map.of()));
            LOG.infof("relaunching %d event(s) dispatched before the last stop", claimed.size());
            after = claimed.get(claimed.size() - 1).id();
            launcher.launch(claimed.stream().map(Outbox.Claimed::id).toList(), List.of(), deliveries);
        }
    }

    /** Enters the event's subject into each journey it triggers; the journeys it does not enter say why. */
    private void enter(Connection c, String projectId, List<JourneyStore.Published> triggered, EntryEvent event,
                       List<InstanceLauncher.Start> starts, List<NonEntries.NonEntry> notEntered,
                       Map<String, DeliverySettings> settings) throws SQLException {
        for (JourneyStore.Published journey : triggered) {
            TriggerMatch.Decision decision = TriggerMatch.decide(journey.journeyId(), journey.definition().trigger(), event,
                    () -> subjects.user(projectId, event.subjectType(), event.subjectId()),
                    () -> subjects.history(projectId, event.subjectType(), event.subjectId(), event.asMap(),
                            Instant.parse(event.timestamp()), Instant.now()));
            if (decision.refusal() == TriggerMatch.Refusal.SEGMENT) {
                continue; // another segment's entry: not an event of this journey's trigger
            }
            if (decision.refusal() == TriggerMatch.Refusal.LOOP) {
                notEntered.add(nonEntry(journey, event, NonEntries.LOOP, Map.of("causedBy", event.causedBy())));
                continue;
            }
            if (decision.refusal() == TriggerMatch.Refusal.CONDITION) {
                notEntered.add(nonEntry(journey, event, NonEntries.CONDITION, Map.of("checks", decision.checks())));
                continue;
            }
            JourneyStarter.Entry entry = starter.enter(c, projectId, journey, event,
                    settings.computeIfAbsent(projectId, deliverySettings::get).heldOut(projectId, event.subjectId()));
            if (entry.start() != null) {
                starts.add(entry.start());
            } else if (entry.refusedBy() != null) {
                notEntered.add(nonEntry(journey, event, entry.refusedBy(), entry.refused()));
            }
        }
    }

    /**
     * A paused journey's trigger takes the event: only the type is known for an event no published
     * journey loaded, so a paused segment journey says nothing then.
     */
    private static boolean forThisJourney(JourneyStore.Published journey, EntryEvent event) {
        EventMatch trigger = journey.definition().trigger();
        return event == null ? trigger.segment() == null : TriggerMatch.takes(trigger, event);
    }

    private static NonEntries.NonEntry nonEntry(JourneyStore.Published journey, EntryEvent event, String reason,
                                                Map<String, Object> detail) {
        return new NonEntries.NonEntry(journey.journeyId(), event.subjectType(), event.subjectId(), event.id(), reason, detail);
    }

    /** Each event for each running instance of its subject that waits for, exits on or converts on it. */
    private List<InstanceLauncher.Delivery> listeners(Connection c, List<Outbox.Claimed> claimed, Map<Long, EntryEvent> loaded)
            throws SQLException {
        List<InstanceStore.Listener> listeners = InstanceStore.listeners(c, claimed.stream()
                .map(e -> new InstanceStore.Heard(e.id(), e.projectId(), e.subjectType(), e.subjectId(), e.type())).toList());
        if (listeners.isEmpty()) {
            return List.of();
        }
        List<Long> missing = listeners.stream().map(InstanceStore.Listener::eventId).filter(id -> !loaded.containsKey(id)).distinct().toList();
        Map<Long, EntryEvent> heard = new HashMap<>(loaded);
        heard.putAll(events.load(c, missing));
        List<InstanceLauncher.Delivery> out = new ArrayList<>();
        for (InstanceStore.Listener listener : listeners) {
            EntryEvent e = heard.get(listener.eventId());
            out.add(new InstanceLauncher.Delivery(listener.workflowId(), new InboundEvent(e.id(), e.type(), e.data(), e.timestamp())));
        }
        return out;
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
