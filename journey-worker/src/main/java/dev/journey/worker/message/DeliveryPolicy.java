package dev.journey.worker.message;

import java.time.Instant;
import java.time.ZoneId;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.observe.LogFields;
import dev.journey.worker.observe.WorkerMetrics;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.subject.SubjectStore;

/**
 * Hold-out, consent, quiet hours, the journey's send rate and frequency caps, applied in that order
 * on the workflow's clock. Transactional messages skip all but the send rate. A message inside the user's quiet hours is recorded held and the workflow asks again when
 * they end; caps are checked and the message admitted in one step (see {@link MessageStore#admit}).
 */
public class DeliveryPolicy implements DeliveryActivities {
    private final MessageRecorder recorder;
    private final MessageStore messages;
    private final DeliverySettingsStore settings;
    private final SubjectStore subjects;
    private final ConsentStore consent;

    private final WorkerMetrics metrics;

    public DeliveryPolicy(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects) {
        this(db, templates, json, subjects, WorkerMetrics.NONE);
    }

    public DeliveryPolicy(DataSource db, TemplateRenderer templates, ObjectMapper json, SubjectStore subjects, WorkerMetrics metrics) {
        Sql sql = new Sql(db);
        this.metrics = metrics;
        this.recorder = new MessageRecorder(sql, templates, subjects, json, metrics);
        this.messages = new MessageStore(sql);
        this.settings = new DeliverySettingsStore(sql);
        this.subjects = subjects;
        this.consent = new ConsentStore(sql);
    }

    @Override
    public Admission admit(SendMessage m, long nowMillis) {
        try (LogFields ids = MessageActivitiesImpl.logFields(m)) {
            MessageStore.Recorded row = recorder.record(m);
            if (!row.status().open() || row.admitted()) {
                return new Admission(row.status(), 0);
            }
            Instant now = Instant.ofEpochMilli(nowMillis);
            DeliverySettings project = settings.get(m.projectId());
            if (!m.transactional() && project.heldOut(m.projectId(), m.entryEvent().subjectId())) {
                messages.heldOut(m.messageId());
                metrics.messageFinished(m.channel(), "held_out");
                return new Admission(MessageStatus.HELD_OUT, 0);
            }
            String unconsented = m.transactional() || m.topic() == null ? null : unconsented(m);
            if (unconsented != null) {
                messages.suppressed(m.messageId(), unconsented);
                metrics.messageFinished(m.channel(), "suppressed");
                return new Admission(MessageStatus.SUPPRESSED, 0);
            }
            if (!m.transactional() && project.quietHoursApplyTo(m.channel())) {
                EntryEvent e = m.entryEvent();
                ZoneId zone = zone(subjects.timezone(m.projectId(), e.subjectType(), e.subjectId()));
                Instant until = project.quietUntil(m.channel(), zone, now);
                if (until != null) {
                    messages.hold(m.messageId(), until);
                    return new Admission(MessageStatus.HELD, until.toEpochMilli());
                }
            }
            if (m.ratePerMinute() != null) {
                Instant turn = messages.turn(m.messageId(), m.journeyId(), m.ratePerMinute(), now);
                if (turn.isAfter(now)) {
                    messages.hold(m.messageId(), turn);
                    return new Admission(MessageStatus.HELD, turn.toEpochMilli(), true);
                }
            }
            MessageStatus admitted = messages.admit(m, now, project.caps());
            if (admitted == MessageStatus.CAPPED) {
                metrics.messageFinished(m.channel(), "capped");
            }
            return new Admission(admitted, 0);
        } catch (SqlFailure e) {
            throw MessageActivitiesImpl.storageFailure(e);
        }
    }

    /** Why the subject may not get this message about its topic; null if they may. */
    private String unconsented(SendMessage m) {
        EntryEvent e = m.entryEvent();
        ConsentStore.Decision d = consent.decide(m.projectId(), e.subjectType(), e.subjectId(), m.topic(), m.channel());
        if (d.allowed()) {
            return null;
        }
        if (!d.topicExists()) {
            return "not sent: the topic " + m.topic() + " does not exist in this project (deleted after the journey named it)";
        }
        return switch (d.from()) {
            case DEFAULT -> "not sent: the user never subscribed to " + m.topic() + ", which users must subscribe to (opt-in)";
            case ALL_CHANNELS -> "not sent: the user unsubscribed from " + m.topic();
            case CHANNEL -> "not sent: the user unsubscribed from " + m.topic() + " on " + m.channel();
        };
    }

    private static ZoneId zone(String id) {
        try {
            return ZoneId.of(id);
        } catch (RuntimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
