package dev.journey.worker.message;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelConfig;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.db.TestProjects;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.segment.SegmentStore;
import dev.journey.worker.subject.SubjectStore;

/** A project of its own with a channel, message steps to send through it, and the send activity over a database. */
final class SendFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    /** What the channels of these tests are sealed with, in the store and in the send activity alike. */
    static final ChannelSecrets SECRETS = ChannelSecrets.ephemeral();

    /** What a test reads back of a message row. */
    record Row(MessageStatus status, int attempts, String error) {}

    final String project = TestProjects.create();
    private final Sql sql = TestDatabase.sql();

    /** The send activity as the worker builds it, over {@code db}; loopback allowed, where the fake providers listen. */
    static MessageActivitiesImpl activities(DataSource db) {
        return new MessageActivitiesImpl(db, new TemplateRenderer(), JSON, subjects(db), SECRETS, OutboundPolicy.allowingLoopback());
    }

    /** The send activity with a short attempt budget, for slow peers. */
    static MessageActivitiesImpl activities(DataSource db, Duration budget) {
        return new MessageActivitiesImpl(db, new TemplateRenderer(), JSON, subjects(db), SECRETS, OutboundPolicy.allowingLoopback(), budget);
    }

    /** The admission activity as the worker builds it, over {@code db}. */
    static DeliveryPolicy admission(DataSource db) {
        return new DeliveryPolicy(db, new TemplateRenderer(), JSON, subjects(db));
    }

    /** A channel of the project, configured as the API would store it. */
    void channel(ChannelType type, String configJson) throws Exception {
        new ChannelStore(sql, SECRETS).create(project, null, ChannelConfig.parse(type, JSON.readTree(configJson), null));
    }

    /** A webhook channel posting to {@code url}. */
    void webhook(String url) throws Exception {
        channel(ChannelType.WEBHOOK, "{\"url\": \"" + url + "\", \"secret\": \"fixture-secret-0123456789\"}");
    }

    /** A message step of a journey in this project, with an inline template, on {@code channel}; a new id each call. */
    SendMessage message(String channel, Map<String, String> template) {
        String step = "s-" + UUID.randomUUID();
        EntryEvent entry = new EntryEvent(1, "e1", "order", "user", "ann", Map.of(), Instant.parse("2026-03-02T12:00:00Z").toString());
        return new SendMessage(project + "/ann/" + step, project, "j-fixture", "Fixture", 1, "wf-ann", step, channel, template, entry, null,
                false, null);
    }

    /** The stored message, or null when none was recorded. */
    Row row(String messageId) {
        return sql.first("SELECT status, attempts, last_error FROM message WHERE id = ?",
                rs -> new Row(MessageStatus.of(rs.getString(1)).orElseThrow(), rs.getInt(2), rs.getString(3)), messageId).orElse(null);
    }

    private static SubjectStore subjects(DataSource db) {
        return new SubjectStore(db, JSON, new EventStore(db, JSON), new SegmentStore(db, JSON));
    }
}
