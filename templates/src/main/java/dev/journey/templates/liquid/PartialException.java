package dev.journey.templates.liquid;

/**
 * A snippet that failed to parse or render, named, so its error is reported against the snippet's
 * own text (its line and column) instead of the template that used it.
 */
public final class PartialException extends RuntimeException {
    private final String name;

    public PartialException(String name, RuntimeException cause) {
        super("snippet '" + name + "': " + cause.getMessage(), cause, false, false);
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public synchronized RuntimeException getCause() {
        return (RuntimeException) super.getCause();
    }
}
