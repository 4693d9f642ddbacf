package dev.journey.worker.channel;

import java.util.List;

/** A channel configuration that cannot be stored, with every problem found (not only the first). */
public class InvalidChannelException extends RuntimeException {
    private final transient List<ConfigProblem> problems;

    public InvalidChannelException(String message, List<ConfigProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
