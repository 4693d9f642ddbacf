package dev.journey.worker.journey;

import java.util.Map;

/** An event of the instance's subject, signalled to it because the journey waits for, exits on or converts on its type. */
public record InboundEvent(long id, String type, Map<String, Object> data, String timestamp) {}
