package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.google.protobuf.ByteString;

import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;

/**
 * Activity results are recorded in workflow histories and read again on replay: with a status enum
 * they must still be the JSON they were when the status was a string.
 */
class MessagePayloadsTest {
    private final DataConverter converter = DefaultDataConverter.newDefaultInstance();

    @Test
    void admissionsAndOutcomesKeepTheirRecordedShape() {
        assertEquals("{\"status\":\"held\",\"holdUntilMillis\":5,\"paced\":true}", json(new Admission(MessageStatus.HELD, 5, true)));
        // Recorded before send rates existed: a hold without "paced" is one for quiet hours.
        assertEquals(new Admission(MessageStatus.HELD, 5, false), read("{\"status\":\"held\",\"holdUntilMillis\":5}", Admission.class));
        assertEquals("{\"messageId\":\"m\",\"status\":\"failed\",\"error\":\"x\"}", json(new MessageOutcome("m", MessageStatus.FAILED, "x")));
        assertEquals(new Admission(MessageStatus.CAPPED, 0), read("{\"status\":\"capped\",\"holdUntilMillis\":0}", Admission.class));
        assertEquals(new MessageOutcome("m", MessageStatus.SENT, null), read("{\"messageId\":\"m\",\"status\":\"sent\",\"error\":null}",
                MessageOutcome.class));
    }

    private String json(Object value) {
        return converter.toPayloads(value).orElseThrow().getPayloads(0).getData().toStringUtf8();
    }

    private <T> T read(String recorded, Class<T> type) {
        Payload template = converter.toPayloads("x").orElseThrow().getPayloads(0);
        Payloads payloads = Payloads.newBuilder().addPayloads(template.toBuilder().setData(ByteString.copyFromUtf8(recorded))).build();
        return converter.fromPayloads(0, Optional.of(payloads), type, type);
    }
}
