package dev.journey.worker.channel;

import java.util.List;
import java.util.Map;

/** In-app: the message log is the user's inbox, so storing the message there was the hand-off. */
public class InAppChannel implements Channel {
    @Override
    public ChannelType type() {
        return ChannelType.INAPP;
    }

    @Override
    public SendResult send(Outgoing message, List<ProjectChannel> configured, Deadline deadline) {
        return SendResult.ok(Map.of());
    }
}
