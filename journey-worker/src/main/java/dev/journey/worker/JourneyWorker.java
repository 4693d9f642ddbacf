package dev.journey.worker;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelSecrets;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.event.EventStore;
import dev.journey.worker.fetch.FetchActivitiesImpl;
import dev.journey.worker.instance.InstanceStore;
import dev.journey.worker.observe.WorkerMetrics;
import dev.journey.worker.journey.InstanceActivitiesImpl;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.journey.JourneyWorkflowImpl;
import dev.journey.worker.message.DeliveryPolicy;
import dev.journey.worker.message.MessageActivitiesImpl;
import dev.journey.worker.segment.SegmentStore;
import dev.journey.worker.subject.SubjectActivitiesImpl;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;

/** Registers the journey workflow and its activities on the journeys task queue; used by every process that runs a worker. */
public final class JourneyWorker {
    private JourneyWorker() {}

    /**
     * How long a workflow thread may run without yielding before the SDK calls it a deadlock and fails
     * the workflow task (1 s by default). A two-core machine under load — classes loading at start, a
     * burst, a build beside it — overran that in code that was not stuck: the tasks failed, were
     * retried, and the journeys behind them waited. Raised, not off: a real deadlock is still reported.
     */
    static final java.time.Duration DEADLOCK_DETECTION = java.time.Duration.ofSeconds(5);

    /**
     * @param secrets         opens the channels' stored credentials
     * @param outbound        where channels may send
     * @param onInstanceEnded told each time an instance's end is recorded
     * @param options         the worker's options (WorkerMain may turn sticky execution off)
     */
    public static Worker register(WorkerFactory factory, DataSource db, TemplateRenderer templates, ObjectMapper json,
                                  ChannelSecrets secrets, OutboundPolicy outbound, Runnable onInstanceEnded, WorkerOptions options) {
        return register(factory, db, templates, json, secrets, outbound, onInstanceEnded, options, WorkerMetrics.NONE);
    }

    /** @param metrics told of instance ends, message outcomes, hand-off latency and render errors (the API's Micrometer) */
    public static Worker register(WorkerFactory factory, DataSource db, TemplateRenderer templates, ObjectMapper json,
                                  ChannelSecrets secrets, OutboundPolicy outbound, Runnable onInstanceEnded, WorkerOptions options,
                                  WorkerMetrics metrics) {
        Worker worker = factory.newWorker(JourneyIds.TASK_QUEUE, WorkerOptions.newBuilder(options)
                .setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION.toMillis()).build());
        worker.registerWorkflowImplementationTypes(JourneyWorkflowImpl.class);
        EventStore events = new EventStore(db, json);
        SubjectStore subjects = new SubjectStore(db, json, events, new SegmentStore(db, json));
        DeliveryPolicy delivery = new DeliveryPolicy(db, templates, json, subjects, metrics);
        worker.registerActivitiesImplementations(
                new MessageActivitiesImpl(db, templates, json, subjects, secrets, outbound, metrics),
                delivery,
                new InstanceActivitiesImpl(new InstanceStore(db, events), new JourneyStore(db, json), delivery, json, onInstanceEnded,
                        metrics),
                new SubjectActivitiesImpl(subjects),
                new FetchActivitiesImpl(templates, subjects, json, outbound));
        return worker;
    }
}
