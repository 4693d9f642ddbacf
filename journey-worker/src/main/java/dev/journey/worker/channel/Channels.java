package dev.journey.worker.channel;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;


/**
 * One sender per channel type, built once per worker: they keep connections and provider tokens
 * between sends, and every one of them reaches only what {@code outbound} allows.
 */
public class Channels {
    private final Map<ChannelType, Channel> byType = new EnumMap<>(ChannelType.class);

    public Channels(PushTargets pushTargets, ObjectMapper json, OutboundPolicy outbound) {
        ProviderHttp http = new ProviderHttp(outbound);
        for (Channel c : List.of(new WebhookChannel(http, json), new EmailChannel(outbound), new PushChannel(pushTargets, http, json),
                new SmsChannel(http, json), new InAppChannel())) {
            byType.put(c.type(), c);
        }
    }

    public Channel of(ChannelType type) {
        return byType.get(type);
    }
}
