package dev.journey.api.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.journey.templates.TemplateRenderer;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.OutboundConfig;
import dev.journey.worker.channel.ChannelStore;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.dsl.JourneyValidator;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.db.Sql;
import dev.journey.worker.event.EventCatalog;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.event.Outbox;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.message.DeliverySettingsStore;
import dev.journey.worker.message.MessageStore;
import dev.journey.worker.retention.Retained;
import dev.journey.worker.retention.RetentionConfig;
import dev.journey.worker.retention.RetentionJob;
import dev.journey.worker.retention.RetentionStore;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.segment.SegmentStore;
import dev.journey.worker.subject.SubjectStore;
import io.agroal.api.AgroalDataSource;

/**
 * Beans built from the plain-Java modules: the worker's stores over the API's pool (a connection
 * taken inside a {@code @Transactional} method joins that transaction), the renderer, the validator.
 */
public class Producers {
    @Produces
    @ApplicationScoped
    TemplateRenderer templateRenderer() {
        return new TemplateRenderer();
    }

    /** Hand-written SQL in the API runs through the worker's one JDBC idiom, inside the request's transaction when there is one. */
    @Produces
    @ApplicationScoped
    Sql sql(AgroalDataSource db) {
        return new Sql(db);
    }

    @Produces
    @ApplicationScoped
    EventStore eventStore(AgroalDataSource db, ObjectMapper json) {
        return new EventStore(db, json);
    }

    @Produces
    @ApplicationScoped
    EventCatalog eventCatalog(AgroalDataSource db) {
        return new EventCatalog(db);
    }

    @Produces
    @ApplicationScoped
    Outbox outbox(AgroalDataSource db) {
        return new Outbox(db);
    }

    @Produces
    @ApplicationScoped
    SubjectStore subjectStore(AgroalDataSource db, ObjectMapper json, EventStore events, SegmentStore segments) {
        return new SubjectStore(db, json, events, segments);
    }

    @Produces
    @ApplicationScoped
    SegmentStore segmentStore(AgroalDataSource db, ObjectMapper json) {
        return new SegmentStore(db, json);
    }

    @Produces
    @ApplicationScoped
    JourneyStore journeyStore(AgroalDataSource db, ObjectMapper json) {
        return new JourneyStore(db, json);
    }

    @Produces
    @ApplicationScoped
    InstanceStore instanceStore(AgroalDataSource db, EventStore events) {
        return new InstanceStore(db, events);
    }

    @Produces
    @ApplicationScoped
    JourneyValidator journeyValidator(TemplateRenderer templates, OutboundPolicy outbound) {
        return new JourneyValidator(templates, outbound);
    }

    /**
     * Where channels may send, for the check on save and the in-process worker alike. Loopback is
     * allowed when unset only in the embedded run (JourneyMain sets {@code journey.embedded-database}),
     * so a first webhook to localhost works there and nowhere else.
     */
    @Produces
    @Singleton
    OutboundPolicy outboundPolicy(OutboundConfig config, @ConfigProperty(name = "journey.embedded-database") Optional<String> embedded) {
        return config.policy(embedded.isPresent());
    }

    @Produces
    @ApplicationScoped
    ChannelStore channelStore(Sql sql, ChannelSecrets secrets) {
        return new ChannelStore(sql, secrets);
    }

    @Produces
    @ApplicationScoped
    MessageStore messageStore(Sql sql) {
        return new MessageStore(sql);
    }

    @Produces
    @ApplicationScoped
    DeliverySettingsStore deliverySettingsStore(Sql sql) {
        return new DeliverySettingsStore(sql);
    }

    /** The engine's retention windows and bounds ({@code journey.retention.*}, src/docs/operations.md "Retention"). */
    @Produces
    @ApplicationScoped
    RetentionStore retentionStore(Sql sql, @ConfigProperty(name = "journey.retention.events") Duration events,
                                  @ConfigProperty(name = "journey.retention.messages") Duration messages,
                                  @ConfigProperty(name = "journey.retention.instances") Duration instances,
                                  @ConfigProperty(name = "journey.retention.longest") Duration longest,
                                  @ConfigProperty(name = "journey.retention.dedup-window") Duration dedupWindow,
                                  @ConfigProperty(name = "journey.retention.months-ahead") int monthsAhead,
                                  @ConfigProperty(name = "journey.retention.batch") int batch) {
        return new RetentionStore(sql, new RetentionConfig(Map.of(Retained.EVENTS, events, Retained.MESSAGES, messages,
                Retained.INSTANCES, instances), longest, dedupWindow, monthsAhead, batch));
    }

    @Produces
    @ApplicationScoped
    RetentionJob retentionJob(AgroalDataSource db, RetentionStore settings) {
        return new RetentionJob(db, settings);
    }

    @Produces
    @ApplicationScoped
    ConsentStore consentStore(Sql sql) {
        return new ConsentStore(sql);
    }

    @Produces
    @ApplicationScoped
    ProjectTemplates projectTemplates(Sql sql) {
        return new ProjectTemplates(sql);
    }
}
