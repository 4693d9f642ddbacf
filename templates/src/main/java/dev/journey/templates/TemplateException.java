package dev.journey.templates;

/** A template that cannot be parsed or rendered; carries where. */
public class TemplateException extends RuntimeException {
    private final int line;
    private final int column;

    public TemplateException(String message, int line, int column, Throwable cause) {
        super(message, cause);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
