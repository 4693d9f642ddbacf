package dev.journey.worker.message;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.journey.EntryEvent;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.failure.ApplicationFailure;

/**
 * Render once, record once, deliver with the same idempotency key on every attempt. The order is
 * what makes a retry safe: the row is written before the first send, and a row marked sent is
 * never sent again; only a crash between a send and its "sent" record can repeat a send, and that
 * repeat carries the same key, so the receiver can drop it.
 */
public class MessageActivitiesImpl implements MessageActivities {
    static final String RETRYABLE = "DeliveryRetryable";

    private final MessageLog log;
    private final TemplateRenderer templates;
    private final WebhookChannel webhook;
    private final ObjectMapper json;
    private final SubjectStore subjects;

    public MessageActivitiesImpl(DataSource db, TemplateRenderer templates, WebhookChannel webhook, ObjectMapper json,
                                 SubjectStore subjects) {
        this.log = new MessageLog(db);
        this.subjects = subjects;
        this.templates = templates;
        this.webhook = webhook;
        this.json = json;
    }

    @Override
    public MessageOutcome send(SendMessage m) {
        try {
            MessageLog.Row row = record(m);
            if (!"queued".equals(row.status())) {
                return new MessageOutcome(m.messageId(), row.status(), null);
            }
            String config = log.channelConfig(m.projectId(), m.channel());
            if (config == null) {
                return fail(m, "no " + m.channel() + " channel is configured for project " + m.projectId());
            }
            JsonNode channel = json.readTree(config);
            log.attempted(m.messageId());
            WebhookChannel.Result result = webhook.post(channel.path("url").asText(), channel.path("secret").asText(),
                    m.messageId(), webhookBody(m, row.content()));
            if (result.delivered()) {
                log.sent(m.messageId());
                return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
            }
            if (result.retryable()) {
                log.retrying(m.messageId(), result.error());
                throw ApplicationFailure.newFailure(result.error(), RETRYABLE);
            }
            return fail(m, result.error());
        } catch (SQLException | JsonProcessingException e) {
            throw ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
        }
    }

    @Override
    public void markFailed(String messageId, String error) {
        try {
            log.failed(messageId, error);
        } catch (SQLException e) {
            throw ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
        }
    }

    /** Renders only the first time: a retry reuses what was recorded, so every attempt sends the same content. */
    private MessageLog.Row record(SendMessage m) throws SQLException, JsonProcessingException {
        MessageLog.Row recorded = log.find(m.messageId());
        if (recorded != null) {
            return recorded;
        }
        EntryEvent entry = m.entryEvent();
        RenderResult result = templates.renderFields(m.template(),
                MessageContext.of(m, subjects.user(m.projectId(), entry.subjectType(), entry.subjectId())));
        if (!result.ok()) {
            TemplateError e = result.errors().get(0);
            String error = "template field " + e.field() + " (line " + e.line() + ", column " + e.column() + "): " + e.message();
            return log.recordOnce(m, json.writeValueAsString(result.rendered()), MessageOutcome.FAILED, error);
        }
        return log.recordOnce(m, json.writeValueAsString(result.rendered()), "queued", null);
    }

    private MessageOutcome fail(SendMessage m, String error) throws SQLException {
        log.failed(m.messageId(), error);
        return new MessageOutcome(m.messageId(), MessageOutcome.FAILED, error);
    }

    private String webhookBody(SendMessage m, String contentJson) throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("messageId", m.messageId());
        body.put("journeyId", m.journeyId());
        body.put("journeyVersion", m.journeyVersion());
        body.put("stepId", m.stepId());
        body.put("subjectType", m.entryEvent().subjectType());
        body.put("subjectId", m.entryEvent().subjectId());
        body.put("channel", m.channel());
        body.put("content", json.readTree(contentJson));
        body.put("entryEvent", m.entryEvent().asMap());
        return json.writeValueAsString(body);
    }
}
