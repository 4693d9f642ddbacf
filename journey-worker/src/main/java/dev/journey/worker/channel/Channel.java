package dev.journey.worker.channel;

import java.util.List;

/**
 * A way to reach people: one provider request format per type. A send is one attempt; what it
 * answers tells the caller whether to record the message sent, try again later or give up.
 */
public interface Channel {
    ChannelType type();

    /**
     * Hands the message to the provider. {@code configured} are the project's channels of this type
     * the message may use: the one it names, or all of them (push picks a provider per device).
     * Returns by {@code deadline} whatever the provider does (what was not finished by then is a
     * retryable result), so an attempt never outlives the activity that runs it.
     */
    SendResult send(Outgoing message, List<ProjectChannel> configured, Deadline deadline);
}
