package dev.journey.worker.channel;

/** In-app messages are stored for the user (the message log is the inbox): nothing to configure. */
public record InAppConfig() implements ChannelConfig {
    @Override
    public ChannelType type() {
        return ChannelType.INAPP;
    }

    @Override
    public java.util.List<Object> destination() {
        return java.util.List.of();
    }
}
