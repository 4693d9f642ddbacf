package dev.journey.worker.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A standalone worker's JSON log line carries the ids of the activity that logged it, and only while it runs. */
class JsonLogFormatterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonLogFormatter formatter = new JsonLogFormatter();

    @Test
    void aLineInsideAnActivityCarriesItsIdsAsFields() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "webhook answered {0}");
        record.setParameters(new Object[] {"HTTP 500"});
        record.setLoggerName("dev.journey.worker.message");
        record.setThrown(new IllegalStateException("boom \"quoted\"\nsecond line"));
        JsonNode line;
        try (LogFields ignored = LogFields.of(LogFields.PROJECT, "p1", LogFields.JOURNEY, "j_1", LogFields.INSTANCE, "i-1",
                LogFields.MESSAGE, "m-1")) {
            String text = formatter.format(record);
            assertTrue(text.endsWith(System.lineSeparator()) && text.indexOf('\n') == text.length() - 1, "one line: " + text);
            line = JSON.readTree(text);
        }
        assertEquals("webhook answered HTTP 500", line.path("message").asText());
        assertEquals("WARNING", line.path("level").asText());
        assertEquals("dev.journey.worker.message", line.path("loggerName").asText());
        assertEquals("p1", line.path("mdc").path("projectId").asText());
        assertEquals("j_1", line.path("mdc").path("journeyId").asText());
        assertEquals("i-1", line.path("mdc").path("instanceId").asText());
        assertEquals("m-1", line.path("mdc").path("messageId").asText());
        assertTrue(line.path("stackTrace").asText().contains("boom \"quoted\"\nsecond line"));

        JsonNode after = JSON.readTree(formatter.format(new LogRecord(Level.INFO, "idle")));
        assertFalse(after.has("mdc"), "no ids once the activity is over: " + after);
    }
}
