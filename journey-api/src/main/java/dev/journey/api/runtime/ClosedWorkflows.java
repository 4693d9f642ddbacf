package dev.journey.api.runtime;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.Lock;

import org.jboss.logging.Logger;

import io.temporal.testing.TestWorkflowEnvironment;

/**
 * Drops the workflows Temporal's in-process service has closed. That service keeps every workflow it
 * ran (state, history, search attributes, timers not yet due) until it is closed itself, where a
 * cluster deletes a closed workflow after its namespace's retention period. A journey's record is
 * PostgreSQL's (its instance row, its message log) and nothing asks Temporal about a journey that
 * ended, so a closed workflow is dropped at the second sweep that finds it closed (a few seconds
 * after it closed).
 *
 * <p>Without this the service had to be replaced every few thousand finished journeys ({@link RecyclePolicy}),
 * and each replacement held the engine for seconds: a new service, the old worker's drain, the running
 * journeys started again from their checkpoints. That stays the fallback should the service's internal
 * classes (temporal-test-server 1.38, reached by reflection) change shape.
 *
 * <p>What dropping changes, as a replacement did: a start with the id of a dropped workflow is not refused
 * by Temporal (the instance row is what makes an entry happen once), and a signal to one finds nothing.
 */
final class ClosedWorkflows {
    private static final Logger LOG = Logger.getLogger(ClosedWorkflows.class);

    private final Lock serviceLock;
    private final Map<?, ?> executions;
    private final Map<?, ?> byWorkflowId;
    private final Map<?, ?> byFirstRunId;
    private final Lock storeLock;
    private final Map<?, ?> histories;
    private final Map<?, ?> searchAttributes;
    private final Lock timerLock;
    private final Collection<?> timerTasks;
    private final Method timerCanceled;
    private final Method timerRunnable;
    /** The fields of each timer callback's class: what it holds (a workflow's timer holds the workflow's state). */
    private final Map<Class<?>, Field[]> captures = new ConcurrentHashMap<>();
    private final Method isTerminal;
    private final Method executionIdOf;
    private final Method workflowIdOf;
    /** The states found closed by the last sweep (the service's own objects, compared by identity). */
    private Set<Object> closedAtLastSweep = identitySet();

    private ClosedWorkflows(TestWorkflowEnvironment environment) throws ReflectiveOperationException {
        Object service = TestServiceInternals.read(environment, "service");
        serviceLock = (Lock) TestServiceInternals.read(service, "lock");
        executions = (Map<?, ?>) TestServiceInternals.read(service, "executions");
        byWorkflowId = (Map<?, ?>) TestServiceInternals.read(service, "executionsByWorkflowId");
        byFirstRunId = (Map<?, ?>) TestServiceInternals.read(service, "executionsByFirstExecutionRunId");
        Object store = TestServiceInternals.read(service, "store");
        storeLock = (Lock) TestServiceInternals.read(store, "lock");
        histories = (Map<?, ?>) TestServiceInternals.read(store, "histories");
        searchAttributes = (Map<?, ?>) TestServiceInternals.read(TestServiceInternals.read(service, "visibilityStore"),
                "executionSearchAttributes");
        Object timer = TestServiceInternals.read(service, "selfAdvancingTimer");
        timerLock = (Lock) TestServiceInternals.read(timer, "lock");
        timerTasks = (Collection<?>) TestServiceInternals.read(timer, "tasks");
        Class<?> task = Class.forName("io.temporal.internal.testservice.SelfAdvancingTimerImpl$TimerTask");
        timerCanceled = accessible(task.getMethod("isCanceled"));
        timerRunnable = accessible(task.getMethod("getRunnable"));
        Class<?> state = Class.forName("io.temporal.internal.testservice.TestWorkflowMutableState");
        isTerminal = accessible(state.getMethod("isTerminalState"));
        executionIdOf = accessible(state.getMethod("getExecutionId"));
        workflowIdOf = accessible(executionIdOf.getReturnType().getMethod("getWorkflowId"));
    }

    /** Empty, with a warning, when the service's internals are not what this class knows. */
    static Optional<ClosedWorkflows> of(TestWorkflowEnvironment environment) {
        try {
            return Optional.of(new ClosedWorkflows(environment));
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("closed workflows cannot be dropped from the in-process Temporal service; it will be replaced from time to"
                    + " time instead: %s", e.toString());
            return Optional.empty();
        }
    }

    /** Drops the workflows that the last sweep found closed already; answers how many it dropped. */
    synchronized int sweep() {
        List<Object> states;
        serviceLock.lock();
        try {
            states = new ArrayList<>(executions.values());
        } finally {
            serviceLock.unlock();
        }
        Set<Object> closed = identitySet();
        Set<Object> drop = identitySet();
        Set<Object> ids = new HashSet<>();
        try {
            for (Object state : states) {
                if ((Boolean) isTerminal.invoke(state)) {
                    if (closedAtLastSweep.contains(state)) {
                        drop.add(state);
                        ids.add(executionIdOf.invoke(state));
                    } else {
                        closed.add(state);
                    }
                }
            }
            closedAtLastSweep = closed;
            if (drop.isEmpty()) {
                return 0;
            }
            serviceLock.lock();
            try {
                executions.keySet().removeAll(ids);
                for (Object id : ids) {
                    Object workflowId = workflowIdOf.invoke(id);
                    // Only if that id's latest run is the one dropped (a later run under the same id stays).
                    Object latest = byWorkflowId.get(workflowId);
                    if (latest != null && drop.contains(latest)) {
                        byWorkflowId.remove(workflowId);
                    }
                }
                byFirstRunId.values().removeIf(drop::contains);
            } finally {
                serviceLock.unlock();
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("reading the in-process Temporal service's workflows failed", e);
        }
        storeLock.lock();
        try {
            histories.keySet().removeAll(ids);
        } finally {
            storeLock.unlock();
        }
        searchAttributes.keySet().removeAll(ids);
        dropTimersOf(drop);
        return drop.size();
    }

    /**
     * A timer stays in the service's queue until it is due, cancelled or not, and a workflow's timer holds
     * the workflow's state: a journey that ended before its wait did (an event came, it exited) would keep
     * its state in memory for as long as the wait was (days). Cancelled timers and those of the dropped
     * workflows leave the queue (neither would do anything when due).
     */
    private void dropTimersOf(Set<Object> dropped) {
        timerLock.lock();
        try {
            timerTasks.removeIf(task -> {
                try {
                    return (Boolean) timerCanceled.invoke(task) || holdsAny(timerRunnable.invoke(task), dropped);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("reading the in-process Temporal service's timers failed", e);
                }
            });
        } finally {
            timerLock.unlock();
        }
    }

    private boolean holdsAny(Object callback, Set<Object> dropped) throws IllegalAccessException {
        if (callback == null) {
            return false;
        }
        for (Field field : captures.computeIfAbsent(callback.getClass(), ClosedWorkflows::instanceFields)) {
            if (dropped.contains(field.get(callback))) {
                return true;
            }
        }
        return false;
    }

    private static Field[] instanceFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Field field : type.getDeclaredFields()) {
            if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                field.setAccessible(true);
                fields.add(field);
            }
        }
        return fields.toArray(Field[]::new);
    }

    private static Method accessible(Method method) {
        method.setAccessible(true);
        return method;
    }

    private static Set<Object> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
