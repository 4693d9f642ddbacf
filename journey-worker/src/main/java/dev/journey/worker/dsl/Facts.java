package dev.journey.worker.dsl;

/**
 * What a condition may need beyond its context: the subject's event history. Evaluated where I/O
 * is allowed (an activity, the dispatcher); never inside workflow code, which uses {@link #NONE}.
 */
public interface Facts {
    /** How many events of {@code type} matching {@code where} the subject has since {@code since} ("entry" or a duration). */
    long countEvents(String type, String since, Condition where);

    Facts NONE = (type, since, where) -> {
        throw new IllegalStateException("event-history conditions cannot be evaluated here");
    };
}
