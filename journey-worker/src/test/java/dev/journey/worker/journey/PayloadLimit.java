package dev.journey.worker.journey;

import java.util.List;

import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.payload.codec.PayloadCodec;
import io.temporal.payload.codec.PayloadCodecException;

/**
 * A Temporal server refuses a payload over 2 MB ({@code limit.blobSize.error}): a workflow start,
 * a continue-as-new, an activity's arguments or result. The time-skipping test server does not
 * check, so the tests' data converter does, for every payload the client or the worker writes.
 */
final class PayloadLimit implements PayloadCodec {
    static final long MAX_BYTES = 2 * 1024 * 1024;

    private PayloadLimit() {}

    static DataConverter converter() {
        return new CodecDataConverter(DefaultDataConverter.newDefaultInstance(), List.of(new PayloadLimit()));
    }

    @Override
    public List<Payload> encode(List<Payload> payloads) {
        long bytes = payloads.stream().mapToLong(Payload::getSerializedSize).sum();
        if (bytes > MAX_BYTES) {
            throw new PayloadCodecException("a payload of " + bytes + " bytes: Temporal refuses more than " + MAX_BYTES);
        }
        return payloads;
    }

    @Override
    public List<Payload> decode(List<Payload> payloads) {
        return payloads;
    }
}
