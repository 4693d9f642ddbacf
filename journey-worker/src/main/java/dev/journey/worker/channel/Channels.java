package dev.journey.worker.channel;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;


/** One sender per channel type, built once per worker: they keep connections and provider tokens between sends. */
public class Channels {
    private final Map<ChannelType, Channel> byType = new EnumMap<>(ChannelType.class);

    public Channels(PushTargets pushTargets, ObjectMapper json) {
        for (Channel c : List.of(new WebhookChannel(json), new EmailChannel(), new PushChannel(pushTargets, json),
                new SmsChannel(json), new InAppChannel())) {
            byType.put(c.type(), c);
        }
    }

    public Channel of(ChannelType type) {
        return byType.get(type);
    }
}
