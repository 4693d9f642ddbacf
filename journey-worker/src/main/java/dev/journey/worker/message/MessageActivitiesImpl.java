package dev.journey.worker.message;

import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.observe.LogFields;
import dev.journey.worker.observe.WorkerMetrics;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.channel.Channels;
import dev.journey.worker.channel.Deadline;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.channel.Outgoing;
import dev.journey.worker.channel.ProjectChannel;
import dev.journey.worker.channel.PushProgress;
import dev.journey.worker.channel.SendResult;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.subject.DeviceTokens;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.failure.ApplicationFailure;

/**
 * Render once, record once, deliver with the same idempotency key on every attempt. The order is
 * what makes a retry safe: the row is written before the first send, and a row marked sent is
 * never sent again; only a crash between a send and its "sent" record can repeat a send, and that
 * repeat carries the same key, so the receiver can drop it. Push goes further: each device's
 * outcome is written as soon as it is known, so a retry only repeats the device that was in flight.
 *
 * <p>Temporal starts a retry when an attempt's 30 s run out, whether or not that attempt has
 * stopped. Two rules keep them apart: an attempt is done with its provider by {@link #ATTEMPT_BUDGET},
 * and it claims the row (a lease of the budget plus {@link #LEASE_MARGIN}) before calling the
 * provider, so a retry that finds the lease still running fails retryably without sending.
 */
public class MessageActivitiesImpl implements MessageActivities {
    static final String RETRYABLE = "DeliveryRetryable";
    /**
     * How long one attempt may spend at its provider, everything included (SMTP connect to the
     * last reply, every push device, an FCM token). Below the send activity's StartToClose timeout
     * (30 s, JourneyWorkflowImpl) with room for rendering and the bookkeeping around the send, so an
     * attempt is over before Temporal gives up on it and starts the next.
     */
    static final Duration ATTEMPT_BUDGET = Duration.ofSeconds(20);
    /**
     * How long a claim outlasts the budget: slack for what ends a little after the deadline (a
     * socket the watchdog closes, a request being torn down), so a lease never runs out while its
     * attempt may still be talking to the provider. A crashed worker's row is free again 30 s after
     * its claim. (The lease is timed by the database's clock alone, so workers' clocks do not matter.)
     */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(10);
    /** Channels that address no person, so need no user looked up. */
    private static final Set<ChannelType> UNADDRESSED = EnumSet.of(ChannelType.WEBHOOK, ChannelType.INAPP);

    private final MessageRecorder recorder;
    private final MessageStore messages;
    private final ChannelStore channelStore;
    private final Channels channels;
    private final SubjectStore subjects;
    private final ObjectMapper json;
    private final Duration attemptBudget;
    private final WorkerMetrics metrics;
    private final DeliverySettingsStore settings;

    /**
     * @param secrets  opens the channels' stored credentials
     * @param outbound where channels may send
     */
    public MessageActivitiesImpl(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects,
                                 ChannelSecrets secrets, OutboundPolicy outbound) {
        this(db, templates, json, subjects, secrets, outbound, ATTEMPT_BUDGET, WorkerMetrics.NONE);
    }

    /** @param metrics told of each final outcome, hand-off latency and render error */
    public MessageActivitiesImpl(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects,
                                 ChannelSecrets secrets, OutboundPolicy outbound, WorkerMetrics metrics) {
        this(db, templates, json, subjects, secrets, outbound, ATTEMPT_BUDGET, metrics);
    }

    /** With another attempt budget: tests of slow peers, which should not take 20 s each. */
    MessageActivitiesImpl(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects, ChannelSecrets secrets,
                          OutboundPolicy outbound,
                          Duration attemptBudget) {
        this(db, templates, json, subjects, secrets, outbound, attemptBudget, WorkerMetrics.NONE);
    }

    private MessageActivitiesImpl(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects,
                                  ChannelSecrets secrets, OutboundPolicy outbound, Duration attemptBudget, WorkerMetrics metrics) {
        this.attemptBudget = attemptBudget;
        this.metrics = metrics;
        Sql sql = new Sql(db);
        this.recorder = new MessageRecorder(sql, templates, subjects, json, metrics);
        this.messages = new MessageStore(sql);
        this.channelStore = new ChannelStore(sql, secrets);
        this.channels = new Channels(new DeviceTokens(sql), json, outbound);
        this.subjects = subjects;
        this.json = json;
        this.settings = new DeliverySettingsStore(sql);
    }

    @Override
    public MessageOutcome send(SendMessage m) {
        try (LogFields ids = logFields(m)) {
            Optional<ChannelType> type = ChannelType.of(m.channel());
            List<ProjectChannel> configured = type.map(t -> channelStore.forMessage(m.projectId(), t, m.channelId())).orElse(List.of());
            boolean sendable = !configured.isEmpty() && configured.get(0).type() == type.get();
            String attempt = UUID.randomUUID().toString();
            // The deadline starts before the claim, so the lease (taken after) outlasts it by at least the margin.
            Deadline deadline = Deadline.after(attemptBudget);
            Duration lease = attemptBudget.plus(LEASE_MARGIN);
            // An admitted message is recorded: its claim is the read of what to send (one statement, not three).
            Optional<MessageStore.Recorded> claimed = messages.claim(m.messageId(), attempt, lease, sendable);
            if (claimed.isEmpty()) {
                // Not claimed: recorded now if it was not (runs begun before admission), finished, or leased by another attempt.
                MessageStore.Recorded row = recorder.record(m);
                if (row.status() != MessageStatus.QUEUED) {
                    return new MessageOutcome(m.messageId(), row.status(), null);
                }
                claimed = messages.claim(m.messageId(), attempt, lease, sendable);
                if (claimed.isEmpty()) {
                    return unclaimed(m);
                }
            }
            if (!sendable) {
                return fail(m, m.channelId() != null
                        ? "channel " + m.channelId() + " is not a " + m.channel() + " channel of project " + m.projectId()
                        : "no " + m.channel() + " channel is configured for project " + m.projectId());
            }
            try {
                return handOff(m, claimed.get(), type.get(), configured, deadline);
            } catch (RuntimeException e) {
                // Ended without a final status (a retryable answer, an outage): the next attempt need not wait for the lease.
                try {
                    messages.release(m.messageId(), attempt);
                } catch (RuntimeException releasing) {
                    e.addSuppressed(releasing);
                }
                throw e;
            }
        } catch (SqlFailure e) {
            throw storageFailure(e);
        }
    }

    /** The claim failed: the row was finished meanwhile (its outcome is the answer), or another attempt is still at the provider. */
    private MessageOutcome unclaimed(SendMessage m) {
        MessageStatus now = messages.find(m.messageId()).map(MessageStore.Recorded::status).orElse(MessageStatus.QUEUED);
        if (now != MessageStatus.QUEUED) {
            return new MessageOutcome(m.messageId(), now, null);
        }
        throw ApplicationFailure.newFailure("an earlier attempt of this message may still be handing it to the provider;"
                + " tried again once it is done or its lease ran out", RETRYABLE);
    }

    private MessageOutcome handOff(SendMessage m, MessageStore.Recorded row, ChannelType type, List<ProjectChannel> configured,
                                   Deadline deadline) {
        SendResult result = channels.of(type).send(outgoing(m, type, row), configured, deadline);
        String details = write(result.details() == null ? Map.of() : result.details());
        if (result.delivered()) {
            messages.sent(m.messageId(), details).ifPresent(latency -> {
                metrics.handedOff(m.channel(), latency);
                metrics.messageFinished(m.channel(), "sent");
            });
            return new MessageOutcome(m.messageId(), MessageStatus.SENT, null);
        }
        if (result.retryable()) {
            messages.retrying(m.messageId(), result.error());
            throw ApplicationFailure.newFailure(result.error(), RETRYABLE);
        }
        messages.failed(m.messageId(), result.error(), details);
        metrics.messageFinished(m.channel(), "failed");
        return new MessageOutcome(m.messageId(), MessageStatus.FAILED, result.error());
    }

    @Override
    public void markFailed(String messageId, String error) {
        try {
            messages.failed(messageId, error);
        } catch (SqlFailure e) {
            throw storageFailure(e);
        }
    }

    /** The ids of a message's log lines. */
    static LogFields logFields(SendMessage m) {
        return LogFields.of(LogFields.PROJECT, m.projectId(), LogFields.JOURNEY, m.journeyId(), LogFields.INSTANCE, m.workflowId(),
                LogFields.MESSAGE, m.messageId());
    }

    /** A database outage: Temporal tries the activity again. */
    static ApplicationFailure storageFailure(SqlFailure e) {
        return ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
    }

    private Outgoing outgoing(SendMessage m, ChannelType type, MessageStore.Recorded row) {
        EntryEvent e = m.entryEvent();
        Map<String, Object> user = UNADDRESSED.contains(type) ? Map.of() : subjects.user(m.projectId(), e.subjectType(), e.subjectId());
        JsonNode content = read(row.content());
        String unsubscribe = UnsubscribeLink.of(m, settings);
        return new Outgoing(m.messageId(), m.projectId(), e.subjectType(), e.subjectId(), content, user, document(m, content, unsubscribe),
                progress(m.messageId(), read(row.delivery())), unsubscribe);
    }

    /** The whole message as one JSON document: what a webhook receives. */
    private static Map<String, Object> document(SendMessage m, JsonNode content, String unsubscribeUrl) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", m.messageId());
        body.put("journeyId", m.journeyId());
        body.put("journeyVersion", m.journeyVersion());
        body.put("stepId", m.stepId());
        body.put("subjectType", m.entryEvent().subjectType());
        body.put("subjectId", m.entryEvent().subjectId());
        body.put("channel", m.channel());
        body.put("content", content);
        body.put("entryEvent", m.entryEvent().asMap());
        if (m.topic() != null) {
            body.put("topic", m.topic());
            body.put("unsubscribeUrl", unsubscribeUrl);
        }
        return body;
    }

    /** Push devices reached by earlier attempts ({@code delivery.tokens}), and each new outcome written at once. */
    private PushProgress progress(String messageId, JsonNode delivery) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        delivery.path("tokens").fields().forEachRemaining(f -> outcomes.put(f.getKey(), f.getValue().asText()));
        return new PushProgress() {
            @Override
            public Map<String, String> outcomes() {
                return outcomes;
            }

            @Override
            public void record(String deviceId, String outcome) {
                messages.tokenDone(messageId, deviceId, outcome);
            }
        };
    }

    private MessageOutcome fail(SendMessage m, String error) {
        messages.failed(m.messageId(), error);
        metrics.messageFinished(m.channel(), "failed");
        return new MessageOutcome(m.messageId(), MessageStatus.FAILED, error);
    }

    private JsonNode read(String stored) {
        try {
            return json.readTree(stored);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a recorded message could not be read: " + e.getOriginalMessage(), e);
        }
    }

    private String write(Map<String, Object> value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("delivery details could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
