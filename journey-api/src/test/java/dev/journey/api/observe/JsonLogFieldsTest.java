package dev.journey.api.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.observe.LogFields;
import io.quarkus.logging.json.runtime.JsonFormatter;

/**
 * Issue 14: with JSON logs on (QUARKUS_LOG_CONSOLE_JSON=true selects this formatter), a line logged inside an
 * activity carries the project, journey, instance and message ids as fields, and none after it. LogFields goes
 * through SLF4J, as journey-worker logs; in this process that is JBoss Log Manager's MDC, which the formatter reads.
 */
class JsonLogFieldsTest {
    @Test
    void aLineInsideAnActivityCarriesItsIds() throws Exception {
        JsonNode inside;
        try (LogFields ids = LogFields.of(LogFields.PROJECT, "p1", LogFields.JOURNEY, "jrn_1", LogFields.INSTANCE, "journey/jrn_1/user/u/7",
                LogFields.MESSAGE, "msg_1", "ignored", null)) {
            inside = format("sending");
        }
        JsonNode mdc = inside.path("mdc");
        assertEquals("p1", mdc.path("projectId").asText());
        assertEquals("jrn_1", mdc.path("journeyId").asText());
        assertEquals("journey/jrn_1/user/u/7", mdc.path("instanceId").asText());
        assertEquals("msg_1", mdc.path("messageId").asText());
        assertEquals("sending", inside.path("message").asText());
        assertFalse(format("after").path("mdc").has("projectId"), "the fields end with the activity (its thread is pooled)");
    }

    private static JsonNode format(String message) throws Exception {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, message, JsonLogFieldsTest.class.getName());
        record.copyMdc();
        return new ObjectMapper().readTree(new JsonFormatter().format(record));
    }
}
