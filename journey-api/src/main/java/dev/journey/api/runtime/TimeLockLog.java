package dev.journey.api.runtime;

import java.lang.reflect.Field;
import java.util.LinkedList;

import org.jboss.logging.Logger;

import io.temporal.testing.TestWorkflowEnvironment;

/**
 * Keeps Temporal's in-process service from slowing down as journeys finish. Its self-advancing
 * timer writes every time-lock event (one or two per workflow task and activity) to a
 * {@code LinkedList} it keeps "for debugging purposes only", never trims, and searches from the
 * head each time a workflow is updated: every update walks every lock taken since the service
 * started. In a 4,000-journey burst that walk was a fifth of the engine's CPU, and it grows with
 * each journey until the service is replaced.
 *
 * <p>The list is swapped for one that records nothing (the timer's lock counting, which decides
 * whether time may skip, is kept separately and is untouched; only its diagnostics dump is lost).
 * It is reached by reflection into the SDK's internal classes (temporal-testing and
 * temporal-test-server 1.38); if their shape has changed, the service runs as it comes, with a
 * warning.
 */
final class TimeLockLog {
    private static final Logger LOG = Logger.getLogger(TimeLockLog.class);

    private TimeLockLog() {}

    /** Replaces the service's lock-event list; answers whether it could. */
    static boolean stopRecording(TestWorkflowEnvironment environment) {
        try {
            Object service = TestServiceInternals.read(environment, "service");
            Object timer = TestServiceInternals.read(service, "selfAdvancingTimer");
            Field events = TestServiceInternals.field(timer.getClass(), "lockEvents");
            if (!LinkedList.class.equals(events.getType())) {
                throw new NoSuchFieldException("lockEvents is a " + events.getType().getName());
            }
            events.set(timer, new Unrecorded());
            return true;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warnf("the in-process Temporal service keeps its time-lock log (it slows down as journeys finish until it is"
                    + " replaced): %s", e.toString());
            return false;
        }
    }

    /** A list that keeps nothing: adding is a no-op, and removing what was never kept succeeds. */
    static final class Unrecorded extends LinkedList<Object> {
        @Override
        public boolean add(Object event) {
            return true;
        }

        @Override
        public boolean remove(Object event) {
            return true;
        }
    }
}
