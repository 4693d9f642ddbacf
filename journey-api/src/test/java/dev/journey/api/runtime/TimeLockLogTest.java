package dev.journey.api.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The in-process service with its time-lock log replaced: workflows with activities and timers
 * still run (with and without time skipping, whose lock counting is untouched), and the log no
 * longer grows with every task — before, it held every lock taken since the service started.
 */
class TimeLockLogTest {
    @WorkflowInterface
    public interface Nap {
        @WorkflowMethod
        String run(String name, Duration nap);
    }

    @ActivityInterface
    public interface Greet {
        String greet(String name);
    }

    public static class NapImpl implements Nap {
        private final Greet greet = Workflow.newActivityStub(Greet.class,
                ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());

        @Override
        public String run(String name, Duration nap) {
            Workflow.sleep(nap);
            return greet.greet(name);
        }
    }

    @Test
    void workflowsRunAndTheLogStaysEmptyWithAndWithoutTimeSkipping() throws Exception {
        for (boolean skipping : new boolean[] {true, false}) {
            TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
                    TestEnvironmentOptions.newBuilder().setUseTimeskipping(skipping).build());
            try {
                assertTrue(TimeLockLog.stopRecording(env));
                Worker worker = env.newWorker("naps");
                worker.registerWorkflowImplementationTypes(NapImpl.class);
                worker.registerActivitiesImplementations((Greet) name -> "hello " + name);
                env.start();
                List<Nap> naps = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    Nap nap = env.getWorkflowClient().newWorkflowStub(Nap.class,
                            WorkflowOptions.newBuilder().setTaskQueue("naps").setWorkflowId("nap-" + skipping + "-" + i).build());
                    // Skipping, an hour passes at once; without, the timer runs on the clock.
                    WorkflowClient.start(nap::run, "n" + i, skipping ? Duration.ofHours(1) : Duration.ofMillis(200));
                    naps.add(nap);
                }
                for (int i = 0; i < naps.size(); i++) {
                    assertEquals("hello n" + i, io.temporal.client.WorkflowStub.fromTyped(naps.get(i)).getResult(String.class));
                }
                assertEquals(0, lockLog(env).size(), "nothing kept after 5 workflows with a timer and an activity each");
            } finally {
                env.close();
            }
        }
    }

    private static LinkedList<?> lockLog(TestWorkflowEnvironment env) throws ReflectiveOperationException {
        Object service = TestServiceInternals.read(env, "service");
        Object timer = TestServiceInternals.read(service, "selfAdvancingTimer");
        return (LinkedList<?>) TestServiceInternals.read(timer, "lockEvents");
    }
}
