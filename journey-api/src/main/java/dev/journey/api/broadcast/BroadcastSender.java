package dev.journey.api.broadcast;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.dispatch.Dispatcher;
import dev.journey.api.runtime.InstanceRecovery;
import dev.journey.api.runtime.Threads;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.Condition;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.NewEvent;
import dev.journey.worker.segment.SegmentStore;
import io.quarkus.runtime.Startup;

/**
 * Gives each member of a due broadcast's segment an entry: one {@code @broadcast} event per member,
 * a page at a time, each page and the broadcast's progress in one transaction. The event id is
 * (broadcast, user), so a page written twice (a crash before the commit is seen, another replica) is
 * stored once; the broadcast row is locked with SKIP LOCKED, so replicas share broadcasts, never a page.
 * Polls every second (and is woken when one is created), so a restart simply goes on from the last
 * page committed. The members are who is in the segment when the page is read.
 */
@Startup
@ApplicationScoped
public class BroadcastSender {
    private static final Logger LOG = Logger.getLogger(BroadcastSender.class);
    static final int PAGE = 500;
    private static final Duration INTERVAL = Duration.ofSeconds(1);

    @Inject
    Sql sql;
    @Inject
    SegmentStore segments;
    @Inject
    EventStore events;
    @Inject
    Dispatcher dispatcher;
    @Inject
    InstanceRecovery recovery;
    @Inject
    ObjectMapper json;

    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running = true;
    private Thread loop;

    @PostConstruct
    void start() {
        loop = Threads.supervised("journey-broadcasts", this::run, INTERVAL, () -> running, () -> { });
        loop.start();
    }

    void wake() {
        wakeUps.release();
    }

    private void run() {
        try {
            recovery.awaitReady();
            while (running) {
                try {
                    while (running && page()) {
                        dispatcher.wake();
                    }
                } catch (RuntimeException e) {
                    LOG.warnf("broadcasts could not be sent on; trying again in %s: %s", INTERVAL, e.getMessage());
                }
                wakeUps.tryAcquire(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                wakeUps.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One page of one due broadcast; false when none is due. */
    private boolean page() {
        return sql.inTransaction(c -> {
            Optional<BroadcastStore.Broadcast> due = BroadcastStore.due(c);
            if (due.isEmpty()) {
                return false;
            }
            BroadcastStore.Broadcast b = due.get();
            Condition condition = segments.condition(b.projectId(), b.segmentId());
            if (condition == null) {
                BroadcastStore.fail(c, b.id(), "the segment " + b.segmentId() + " was deleted before every member had the message");
                return true;
            }
            List<String> members = segments.members(b.projectId(), condition, b.afterUser(), PAGE);
            String data = data(b.id());
            Instant now = Instant.now();
            List<NewEvent> page = new ArrayList<>(members.size());
            for (String user : members) {
                page.add(new NewEvent(Broadcasts.EVENT + ":" + b.id() + ":" + user, "user", user, Broadcasts.EVENT, data, now));
            }
            if (!page.isEmpty()) {
                events.store(c, b.projectId(), page);
            }
            BroadcastStore.advance(c, b.id(), members.isEmpty() ? b.afterUser() : members.get(members.size() - 1), members.size(),
                    members.size() < PAGE);
            return true;
        });
    }

    private String data(String broadcastId) {
        try {
            return json.writeValueAsString(Map.of("broadcastId", broadcastId));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        loop.interrupt();
    }
}
