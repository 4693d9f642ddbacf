package dev.journey.api.runtime;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The in-process service hands out the tasks waiting in a queue in the order they came. Before, its
 * heap handed out the oldest, then the newest, and so on: under a steady load the first journeys of a
 * burst began last (30 s late at 100 events/s).
 */
class ArrivalOrderTaskQueuesTest {
    private static final String QUEUE = "arrival-order";
    private static final List<String> BEGUN = new CopyOnWriteArrayList<>();

    @WorkflowInterface
    public interface Note {
        @WorkflowMethod
        void run();
    }

    public static class NoteImpl implements Note {
        @Override
        public void run() {
            if (!Workflow.isReplaying()) {
                BEGUN.add(Workflow.getInfo().getWorkflowId());
            }
        }
    }

    private TestWorkflowEnvironment env;

    @AfterEach
    void tearDown() {
        if (env != null) {
            env.close();
        }
    }

    @Test
    void workflowTasksThatWaitedAreHandedOutInTheOrderTheyCame() {
        BEGUN.clear();
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        assertTrue(ArrivalOrderTaskQueues.apply(env).isPresent());
        // Two tasks at a time: the order the worker takes them in is the order they begin in, but for neighbours.
        Worker worker = env.newWorker(QUEUE, WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskExecutionSize(2).setMaxConcurrentWorkflowTaskPollers(2).build());
        worker.registerWorkflowImplementationTypes(NoteImpl.class);
        List<String> started = new ArrayList<>();
        // All wait in the service's queue before anyone polls it, as in a burst.
        for (int i = 0; i < 40; i++) {
            String id = "w%02d".formatted(i);
            WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(Note.class,
                    WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId(id).build())::run);
            started.add(id);
        }
        env.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> BEGUN.size() == started.size());
        // Before: the first began first, then the last, the one before it, …, and the second last of all.
        for (int i = 0; i < started.size(); i++) {
            int place = BEGUN.indexOf(started.get(i));
            assertTrue(Math.abs(place - i) <= 1, started.get(i) + " began " + (place + 1) + "th: " + BEGUN);
        }
    }

    /** What the launcher bounds: journeys started and not begun wait in the service's memory. */
    @Test
    void theWorkflowTasksWaitingAreCountedUntilAWorkerTakesThem() {
        BEGUN.clear();
        env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        IntSupplier waiting = ArrivalOrderTaskQueues.apply(env).orElseThrow();
        assertEquals(0, waiting.getAsInt());
        Worker worker = env.newWorker(QUEUE);
        worker.registerWorkflowImplementationTypes(NoteImpl.class);
        for (int i = 0; i < 25; i++) {
            WorkflowClient.start(env.getWorkflowClient().newWorkflowStub(Note.class,
                    WorkflowOptions.newBuilder().setTaskQueue(QUEUE).setWorkflowId("c%02d".formatted(i)).build())::run);
        }
        assertEquals(25, waiting.getAsInt());
        env.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> BEGUN.size() == 25);
        await().atMost(Duration.ofSeconds(30)).until(() -> waiting.getAsInt() == 0);
    }

    @Test
    void aQueueCountsWhatItHoldsInTheSharedCount() {
        AtomicInteger shared = new AtomicInteger();
        ArrivalOrderTaskQueues.ArrivalOrder<String> one = ArrivalOrderTaskQueues.ArrivalOrder.by(String::compareTo, shared);
        ArrivalOrderTaskQueues.ArrivalOrder<String> other = ArrivalOrderTaskQueues.ArrivalOrder.by(String::compareTo, shared);
        one.add("a");
        one.offer("b");
        other.add("c");
        assertEquals(3, shared.get());
        one.poll();
        other.remove("c");
        other.remove("not there");
        assertEquals(1, shared.get());
        one.add("d");
        one.clear();
        assertEquals(0, shared.get());
        assertEquals(null, one.poll());
        assertEquals(0, shared.get());
    }

    @Test
    void aHigherPriorityStillGoesFirstAndEqualOnesInTheOrderTheyCame() {
        ArrivalOrderTaskQueues.ArrivalOrder<String> queue = ArrivalOrderTaskQueues.ArrivalOrder.by(
                Comparator.comparingInt(s -> s.charAt(0) - '0'), new AtomicInteger());
        IntStream.range(0, 20).forEach(i -> queue.add("3-" + i));
        queue.add("1-urgent");
        List<String> taken = new ArrayList<>();
        for (String s = queue.poll(); s != null; s = queue.poll()) {
            taken.add(s);
        }
        List<String> expected = new ArrayList<>(List.of("1-urgent"));
        IntStream.range(0, 20).forEach(i -> expected.add("3-" + i));
        assertEquals(expected, taken);
    }
}
