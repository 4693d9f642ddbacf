package dev.journey.templates.liquid.filter;

/** A filter that cannot do its work, e.g. "Liquid error: wrong number of arguments". */
public class FilterException extends RuntimeException {
    public FilterException(String message) {
        super("Liquid error: " + message);
    }
}
