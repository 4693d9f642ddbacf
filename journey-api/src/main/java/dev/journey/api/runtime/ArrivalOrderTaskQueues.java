package dev.journey.api.runtime;

import java.lang.reflect.Field;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;
import java.util.function.Function;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;

import io.temporal.testing.TestWorkflowEnvironment;

/**
 * Makes the in-process Temporal service hand out the tasks of a task queue in the order they came.
 * Its task queues (temporal-test-server 1.38) keep waiting tasks in a {@link PriorityQueue} ordered by
 * the task's priority alone, and a heap takes equal elements in no fair order: after the oldest, it
 * hands out the one added last. While the worker is busy (a burst, a steady load near its capacity)
 * tasks wait, and some waited until the load ended: at 100 events/s for 60 s, journeys started in
 * the same second began 0.2 s or 30 s later, the ones started first last. A cluster's matching
 * service hands a partition's tasks out first in, first out, and so does this one now: equal
 * priorities in the order they came.
 *
 * <p>Reached by reflection, as {@link ClosedWorkflows} and {@link TimeLockLog} do: the store's maps
 * of task queues become maps that give each queue created from then on this order (queues are
 * created under the store's lock); the queues there already get it at once. Should the
 * classes change shape, a warning at start, and the service's own order.
 *
 * <p>The workflow task queues also count the tasks waiting in them: the journeys started but not yet
 * begun (and timers or signals not yet handled), which the service holds in memory and the launcher
 * bounds ({@code journey.dispatch.max-starts-waiting}).
 */
final class ArrivalOrderTaskQueues {
    private static final Logger LOG = Logger.getLogger(ArrivalOrderTaskQueues.class);
    private static final String WORKFLOW_TASK_QUEUES = "workflowTaskQueues";
    private static final String[] QUEUE_MAPS = {WORKFLOW_TASK_QUEUES, "activityTaskQueues"};

    private ArrivalOrderTaskQueues() {}

    /**
     * Makes the service's task queues take tasks in the order they came.
     *
     * @return how many workflow tasks wait in its queues at any moment; empty when the order could not be changed
     */
    static Optional<IntSupplier> apply(TestWorkflowEnvironment environment) {
        try {
            Object store = TestServiceInternals.read(TestServiceInternals.read(environment, "service"), "store");
            Lock storeLock = (Lock) TestServiceInternals.read(store, "lock");
            Field backlog = TestServiceInternals.field(Class.forName("io.temporal.internal.testservice.TaskQueue"), "backlog");
            AtomicInteger workflowTasksWaiting = new AtomicInteger();
            storeLock.lock();
            try {
                for (String name : QUEUE_MAPS) {
                    Field field = TestServiceInternals.field(store.getClass(), name);
                    Map<?, ?> queues = (Map<?, ?>) TestServiceInternals.read(store, name);
                    ArrivalOrderMap replacement = new ArrivalOrderMap(backlog,
                            name.equals(WORKFLOW_TASK_QUEUES) ? workflowTasksWaiting : new AtomicInteger());
                    queues.forEach(replacement::put);
                    field.set(store, replacement);
                }
            } finally {
                storeLock.unlock();
            }
            return Optional.of(workflowTasksWaiting::get);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("the in-process Temporal service keeps its own task order (under load, some journeys may wait until the"
                    + " load ends): %s", e.toString());
            return Optional.empty();
        }
    }

    /** The store's map of task queues: each queue put in takes equal priorities in the order they came. */
    private static final class ArrivalOrderMap extends HashMap<Object, Object> {
        private final transient Field backlog;
        private final transient AtomicInteger waiting;

        ArrivalOrderMap(Field backlog, AtomicInteger waiting) {
            this.backlog = backlog;
            this.waiting = waiting;
        }

        @Override
        public Object put(Object key, Object queue) {
            return super.put(key, ordered(queue));
        }

        // The service creates its queues by get and put (1.38); these take any other way a later one might.
        @Override
        public Object putIfAbsent(Object key, Object queue) {
            return super.putIfAbsent(key, ordered(queue));
        }

        @Override
        public Object computeIfAbsent(Object key, Function<? super Object, ?> create) {
            return super.computeIfAbsent(key, k -> ordered(create.apply(k)));
        }

        private Object ordered(Object queue) {
            if (queue == null) {
                return null;
            }
            // The queue's own methods are synchronized on it: its backlog is swapped the same way.
            synchronized (queue) {
                try {
                    PriorityQueue<?> before = (PriorityQueue<?>) backlog.get(queue);
                    if (!(before instanceof ArrivalOrder)) {
                        backlog.set(queue, ArrivalOrder.drain(before, waiting));
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("the in-process Temporal service's task queue cannot be reordered", e);
                }
            }
            return queue;
        }
    }

    /**
     * A priority queue that takes elements of equal priority in the order they came (a heap alone does
     * not), and adds how many it holds to a count shared by several queues. Only what the service's task
     * queue calls is kept in step with the arrivals and the count: offer (and add), poll, remove, clear.
     */
    static final class ArrivalOrder<E> extends PriorityQueue<E> {
        private final Map<Object, Long> arrivals;
        private final AtomicInteger waiting;
        private long next;

        private ArrivalOrder(Comparator<? super E> priority, Map<Object, Long> arrivals, AtomicInteger waiting) {
            super(priority.thenComparingLong(arrivals::get));
            this.arrivals = arrivals;
            this.waiting = waiting;
        }

        /** An empty queue with {@code priority}'s order, equal priorities first in, first out, counted in {@code waiting}. */
        static <E> ArrivalOrder<E> by(Comparator<? super E> priority, AtomicInteger waiting) {
            Comparator<? super E> order = priority != null ? priority : (a, b) -> 0;
            return new ArrivalOrder<>(order, new IdentityHashMap<>(), waiting);
        }

        /** A queue with {@code queue}'s order and elements (taken out of it), counted in {@code waiting}. */
        @SuppressWarnings("unchecked")
        static <E> ArrivalOrder<E> drain(PriorityQueue<E> queue, AtomicInteger waiting) {
            ArrivalOrder<E> ordered = by((Comparator<? super E>) queue.comparator(), waiting);
            for (E e = queue.poll(); e != null; e = queue.poll()) {
                ordered.offer(e);
            }
            return ordered;
        }

        @Override
        public boolean offer(E e) {
            arrivals.put(e, next++);
            boolean added = super.offer(e);
            waiting.incrementAndGet();
            return added;
        }

        @Override
        public E poll() {
            E e = super.poll();
            if (e != null) {
                arrivals.remove(e);
                waiting.decrementAndGet();
            }
            return e;
        }

        @Override
        public boolean remove(Object o) {
            boolean removed = super.remove(o);
            if (removed) {
                arrivals.remove(o);
                waiting.decrementAndGet();
            }
            return removed;
        }

        @Override
        public void clear() {
            waiting.addAndGet(-size());
            super.clear();
            arrivals.clear();
        }
    }
}
