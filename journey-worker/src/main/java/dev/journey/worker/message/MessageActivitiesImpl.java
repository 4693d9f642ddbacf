package dev.journey.worker.message;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.channel.Channels;
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
 */
public class MessageActivitiesImpl implements MessageActivities {
    static final String RETRYABLE = "DeliveryRetryable";
    /** Channels that address no person, so need no user looked up. */
    private static final Set<ChannelType> UNADDRESSED = EnumSet.of(ChannelType.WEBHOOK, ChannelType.INAPP);

    private final MessageRecorder recorder;
    private final MessageStore messages;
    private final ChannelStore channelStore;
    private final Channels channels;
    private final SubjectStore subjects;
    private final ObjectMapper json;

    public MessageActivitiesImpl(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects) {
        Sql sql = new Sql(db);
        this.recorder = new MessageRecorder(sql, templates, subjects, json);
        this.messages = new MessageStore(sql);
        this.channelStore = new ChannelStore(sql);
        this.channels = new Channels(new DeviceTokens(sql), json);
        this.subjects = subjects;
        this.json = json;
    }

    @Override
    public MessageOutcome send(SendMessage m) {
        try {
            MessageStore.Recorded row = recorder.record(m);
            if (row.status() != MessageStatus.QUEUED) {
                return new MessageOutcome(m.messageId(), row.status(), null);
            }
            Optional<ChannelType> type = ChannelType.of(m.channel());
            List<ProjectChannel> configured = type.map(t -> channelStore.forMessage(m.projectId(), t, m.channelId())).orElse(List.of());
            if (configured.isEmpty() || configured.get(0).type() != type.get()) {
                return fail(m, m.channelId() != null
                        ? "channel " + m.channelId() + " is not a " + m.channel() + " channel of project " + m.projectId()
                        : "no " + m.channel() + " channel is configured for project " + m.projectId());
            }
            messages.attempted(m.messageId());
            SendResult result = channels.of(type.get()).send(outgoing(m, type.get(), row), configured);
            String details = write(result.details() == null ? Map.of() : result.details());
            if (result.delivered()) {
                messages.sent(m.messageId(), details);
                return new MessageOutcome(m.messageId(), MessageStatus.SENT, null);
            }
            if (result.retryable()) {
                messages.retrying(m.messageId(), result.error());
                throw ApplicationFailure.newFailure(result.error(), RETRYABLE);
            }
            messages.failed(m.messageId(), result.error(), details);
            return new MessageOutcome(m.messageId(), MessageStatus.FAILED, result.error());
        } catch (SqlFailure e) {
            throw storageFailure(e);
        }
    }

    @Override
    public void markFailed(String messageId, String error) {
        try {
            messages.failed(messageId, error);
        } catch (SqlFailure e) {
            throw storageFailure(e);
        }
    }

    /** A database outage: Temporal tries the activity again. */
    static ApplicationFailure storageFailure(SqlFailure e) {
        return ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
    }

    private Outgoing outgoing(SendMessage m, ChannelType type, MessageStore.Recorded row) {
        EntryEvent e = m.entryEvent();
        Map<String, Object> user = UNADDRESSED.contains(type) ? Map.of() : subjects.user(m.projectId(), e.subjectType(), e.subjectId());
        JsonNode content = read(row.content());
        return new Outgoing(m.messageId(), m.projectId(), e.subjectType(), e.subjectId(), content, user, document(m, content),
                progress(m.messageId(), read(row.delivery())));
    }

    /** The whole message as one JSON document: what a webhook receives. */
    private static Map<String, Object> document(SendMessage m, JsonNode content) {
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
