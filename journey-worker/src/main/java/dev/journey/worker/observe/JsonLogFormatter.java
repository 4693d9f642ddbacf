package dev.journey.worker.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;

import org.slf4j.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One JSON object per log line for a standalone worker (java.util.logging), in the field names of the
 * API's JSON console format ({@code timestamp}, {@code level}, {@code loggerName}, {@code message},
 * {@code threadName}, {@code mdc}, {@code stackTrace}), so one log pipeline reads both. The ids of
 * {@link LogFields} are read from the MDC when the line is formatted, on the thread that logs it.
 */
public final class JsonLogFormatter extends Formatter {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Formats every line the root logger's handlers print as JSON. */
    public static void installOnRootHandlers() {
        for (Handler handler : LogManager.getLogManager().getLogger("").getHandlers()) {
            handler.setFormatter(new JsonLogFormatter());
        }
    }

    @Override
    public String format(LogRecord record) {
        ObjectNode line = JSON.createObjectNode();
        line.put("timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
        line.put("level", record.getLevel().getName());
        line.put("loggerName", record.getLoggerName());
        line.put("message", formatMessage(record));
        line.put("threadName", Thread.currentThread().getName());
        Map<String, String> mdc = MDC.getCopyOfContextMap();
        if (mdc != null && !mdc.isEmpty()) {
            ObjectNode fields = line.putObject("mdc");
            mdc.forEach(fields::put);
        }
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            line.put("stackTrace", trace.toString());
        }
        try {
            return JSON.writeValueAsString(line) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            return "{\"level\":\"SEVERE\",\"message\":\"a log line could not be written as JSON\"}" + System.lineSeparator();
        }
    }
}
