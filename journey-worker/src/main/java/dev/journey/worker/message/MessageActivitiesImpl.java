package dev.journey.worker.message;

import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.Partials;
import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.failure.ApplicationFailure;

/**
 * Render once, record once, deliver with the same idempotency key on every attempt. The order is
 * what makes a retry safe: the row is written before the first send, and a row marked sent is
 * never sent again; only a crash between a send and its "sent" record can repeat a send, and that
 * repeat carries the same key, so the receiver can drop it. Push goes further: each device token's
 * outcome is written as soon as it is known, so a retry only repeats the token that was in flight.
 */
public class MessageActivitiesImpl implements MessageActivities, DeliveryActivities {
    static final String RETRYABLE = "DeliveryRetryable";

    private final MessageLog log;
    private final TemplateRenderer templates;
    private final WebhookChannel webhook;
    private final EmailChannel email = new EmailChannel();
    private final PushChannel push;
    private final SmsChannel sms;
    private final DeviceTokens devices;
    private final ObjectMapper json;
    private final SubjectStore subjects;

    public MessageActivitiesImpl(DataSource db, TemplateRenderer templates, WebhookChannel webhook, ObjectMapper json,
                                 SubjectStore subjects) {
        this.log = new MessageLog(db);
        this.subjects = subjects;
        this.templates = templates;
        this.webhook = webhook;
        this.json = json;
        this.push = new PushChannel(json);
        this.sms = new SmsChannel(json);
        this.devices = new DeviceTokens(db);
    }

    @Override
    public Admission admit(SendMessage m, long nowMillis) {
        try {
            MessageLog.Row row = record(m);
            boolean open = row.status().equals(Admission.QUEUED) || row.status().equals(Admission.HELD);
            if (!open || row.admitted()) {
                return new Admission(row.status(), 0);
            }
            Instant now = Instant.ofEpochMilli(nowMillis);
            DeliveryPolicy policy = policy(m.projectId());
            if (!m.transactional()) {
                EntryEvent e = m.entryEvent();
                ZoneId zone = zone(subjects.timezone(m.projectId(), e.subjectType(), e.subjectId()));
                Instant until = policy.quietUntil(m.channel(), zone, now);
                if (until != null) {
                    log.hold(m.messageId(), until);
                    return new Admission(Admission.HELD, until.toEpochMilli());
                }
            }
            return new Admission(log.admit(m, now, policy.caps()), 0);
        } catch (SQLException | JsonProcessingException e) {
            throw ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
        }
    }

    @Override
    public MessageOutcome send(SendMessage m) {
        try {
            MessageLog.Row row = record(m);
            if (!Admission.QUEUED.equals(row.status())) {
                return new MessageOutcome(m.messageId(), row.status(), null);
            }
            List<MessageLog.ChannelRow> channels = log.channels(m.projectId(), m.channel(), m.channelId());
            if (channels.isEmpty() || !channels.get(0).type().equals(m.channel())) {
                return fail(m, m.channelId() != null
                        ? "channel " + m.channelId() + " is not a " + m.channel() + " channel of project " + m.projectId()
                        : "no " + m.channel() + " channel is configured for project " + m.projectId());
            }
            log.attempted(m.messageId());
            JsonNode content = json.readTree(row.content());
            EntryEvent e = m.entryEvent();
            Map<String, Object> user = "webhook".equals(m.channel()) || "inapp".equals(m.channel()) ? Map.of()
                    : subjects.user(m.projectId(), e.subjectType(), e.subjectId());
            SendResult result = switch (m.channel()) {
                case "webhook" -> {
                    JsonNode config = json.readTree(channels.get(0).config());
                    yield webhook.post(config.path("url").asText(), config.path("secret").asText(), m.messageId(),
                            webhookBody(m, row.content()), java.time.Duration.ofMillis(config.path("timeoutMillis").asLong(10_000)));
                }
                case "email" -> email.send(new Outgoing(m, content, json.readTree(channels.get(0).config()), user, null));
                case "sms" -> sms.send(new Outgoing(m, content, json.readTree(channels.get(0).config()), user, null));
                case "push" -> push(m, content, channels, user, json.readTree(row.delivery()));
                // In-app: the message log is the user's inbox; storing it there is the hand-off.
                case "inapp" -> SendResult.ok(Map.of());
                default -> SendResult.reject("unknown channel type " + m.channel());
            };
            String details = json.writeValueAsString(result.details() == null ? Map.of() : result.details());
            if (result.delivered()) {
                log.sent(m.messageId(), details);
                return new MessageOutcome(m.messageId(), MessageOutcome.SENT, null);
            }
            if (result.retryable()) {
                log.retrying(m.messageId(), result.error());
                throw ApplicationFailure.newFailure(result.error(), RETRYABLE);
            }
            log.failed(m.messageId(), result.error(), details);
            return new MessageOutcome(m.messageId(), MessageOutcome.FAILED, result.error());
        } catch (SQLException | JsonProcessingException e) {
            throw ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
        }
    }

    /**
     * Every live token of the user, each through the channel for its platform: an iPhone through
     * the project's APNs channel when there is one, everything else (and iPhones otherwise) through
     * FCM. Sent when at least one device got it; a dead token is marked so in the device table.
     */
    private SendResult push(SendMessage m, JsonNode content, List<MessageLog.ChannelRow> channels, Map<String, Object> user,
                            JsonNode progress) throws SQLException, JsonProcessingException {
        JsonNode apns = null;
        JsonNode fcm = null;
        for (MessageLog.ChannelRow ch : channels) {
            JsonNode config = json.readTree(ch.config());
            if ("apns".equals(config.path("provider").asText()) && apns == null) {
                apns = config;
            } else if ("fcm".equals(config.path("provider").asText()) && fcm == null) {
                fcm = config;
            }
        }
        Object userId = user.get("id");
        List<DeviceTokens.Device> targets = devices.live(m.projectId(), m.entryEvent().subjectType(), m.entryEvent().subjectId(),
                userId == null ? null : userId.toString());
        JsonNode done = progress.path("tokens");
        int sent = (int) iterate(done).stream().filter("sent"::equals).count();
        List<String> errors = new ArrayList<>();
        for (DeviceTokens.Device device : targets) {
            if (done.has(device.deviceId())) {
                continue;
            }
            JsonNode config = "ios".equalsIgnoreCase(device.platform()) && apns != null ? apns : fcm;
            if (config == null) {
                log.tokenDone(m.messageId(), device.deviceId(), "skipped: no push channel for " + device.platform());
                continue;
            }
            SendResult r = push.send(new Outgoing(m, content, config, user, null), device);
            if (r.delivered()) {
                log.tokenDone(m.messageId(), device.deviceId(), "sent");
                sent++;
            } else if (r.retryable()) {
                return r;
            } else {
                if (Boolean.TRUE.equals(r.details().get(PushChannel.TOKEN_DEAD))) {
                    devices.markDead(m.projectId(), device.deviceId(), device.token());
                }
                log.tokenDone(m.messageId(), device.deviceId(), "failed: " + r.error());
                errors.add(device.deviceId() + ": " + r.error());
            }
        }
        if (sent > 0) {
            return SendResult.ok(Map.of("devices", sent));
        }
        return SendResult.reject(targets.isEmpty() && errors.isEmpty() ? "the user has no device with a live push token"
                : "no device accepted the push: " + String.join("; ", errors));
    }

    private static List<String> iterate(JsonNode tokens) {
        List<String> out = new ArrayList<>();
        tokens.forEach(t -> out.add(t.asText()));
        return out;
    }

    @Override
    public void markFailed(String messageId, String error) {
        try {
            log.failed(messageId, error);
        } catch (SQLException e) {
            throw ApplicationFailure.newFailureWithCause("message log unavailable: " + e.getMessage(), "Storage", e);
        }
    }

    /**
     * Renders only the first time: a retry reuses what was recorded, so every attempt sends the same
     * content. Links are made trackable here, once, so the log shows exactly what was sent.
     */
    private MessageLog.Row record(SendMessage m) throws SQLException, JsonProcessingException {
        MessageLog.Row recorded = log.find(m.messageId());
        if (recorded != null) {
            return recorded;
        }
        EntryEvent entry = m.entryEvent();
        Map<String, String> fields = m.template() != null ? m.template() : log.storedTemplate(m.projectId(), m.templateId());
        if (fields == null) {
            return log.recordOnce(m, "{}", MessageOutcome.FAILED, "template " + m.templateId() + " does not exist in this project");
        }
        // {% render %} and {% include %} find the project's snippets, and only its own.
        Partials snippets = name -> log.snippet(m.projectId(), name);
        RenderResult result = templates.renderFields(fields,
                MessageContext.of(m, subjects.user(m.projectId(), entry.subjectType(), entry.subjectId())), snippets);
        if (!result.ok()) {
            TemplateError e = result.errors().get(0);
            String error = "template field " + e.field() + " (line " + e.line() + ", column " + e.column() + "): " + e.message();
            return log.recordOnce(m, json.writeValueAsString(result.rendered()), MessageOutcome.FAILED, error);
        }
        Map<String, String> rendered = result.rendered();
        if (m.channel().equals("email") || m.channel().equals("push") || m.channel().equals("inapp")) {
            MessageLog.Settings settings = log.settings(m.projectId());
            DeliveryPolicy policy = settings == null ? DeliveryPolicy.NONE : DeliveryPolicy.of(json.readTree(settings.json()));
            if (policy.clickBaseUrl() != null) {
                rendered = TrackedLinks.rewrite(rendered, policy.clickBaseUrl(), settings.linkSecret(), m.projectId(), m.messageId());
            }
        }
        return log.recordOnce(m, json.writeValueAsString(rendered), Admission.QUEUED, null);
    }

    private DeliveryPolicy policy(String projectId) throws SQLException, JsonProcessingException {
        MessageLog.Settings settings = log.settings(projectId);
        return settings == null ? DeliveryPolicy.NONE : DeliveryPolicy.of(json.readTree(settings.json()));
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
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
