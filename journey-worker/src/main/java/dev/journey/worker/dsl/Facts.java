package dev.journey.worker.dsl;

/**
 * What a condition may need beyond its context: the subject's event history. Evaluated where I/O
 * is allowed (an activity, the dispatcher); never inside workflow code, which uses {@link #NONE}.
 */
public interface Facts {
    /** How many events of the condition's type, in its time bounds, match its {@code where}. */
    long countEvents(Condition.EventCount condition);

    /** Whether the subject's user is in the segment now. */
    boolean inSegment(String segmentId);

    Facts NONE = new Facts() {
        @Override
        public long countEvents(Condition.EventCount condition) {
            throw new IllegalStateException("event-history conditions cannot be evaluated here");
        }

        @Override
        public boolean inSegment(String segmentId) {
            throw new IllegalStateException("segment conditions cannot be evaluated here");
        }
    };
}
