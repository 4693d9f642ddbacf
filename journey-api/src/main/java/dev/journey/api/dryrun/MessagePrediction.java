package dev.journey.api.dryrun;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import dev.journey.templates.TemplateError;
import dev.journey.templates.Translations;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.journey.JourneyIds;
import dev.journey.worker.message.DeliverySettings;
import dev.journey.worker.message.MessageRenderer;
import dev.journey.worker.message.ProjectTemplates;
import dev.journey.worker.message.SendMessage;
import dev.journey.worker.subject.SubjectStore;

/**
 * What a message step would do for one instance at a simulated moment, decided as a send decides
 * it but without writing: rendered with the send's own renderer and context (a template error
 * fails the message), then consent, quiet hours and frequency caps as {@code DeliveryPolicy} applies
 * them (transactional messages skip all three) — consent as users chose it now, caps counting only
 * the messages this run admitted.
 */
final class MessagePrediction {
    /** A message's fate at one admission: handed to its channel, capped, suppressed, failed, or held until {@code until}. */
    record Admission(Kind kind, Instant until) {
        enum Kind { SENT, CAPPED, SUPPRESSED, FAILED, HELD }
    }

    private final String projectId;
    private final String journeyId;
    private final String journeyName;
    private final int version;
    private final boolean journeyTransactional;
    private final MessageRenderer renderer;
    private final ProjectTemplates templates;
    /** One run's snippets: looked up once each, as nothing a run reads changes under it. */
    private final ProjectTemplates.Snippets snippets;
    private final DeliverySettings settings;
    private final SubjectStore subjects;
    private final ConsentStore consent;
    private final Tally tally;
    private final Map<String, Optional<ProjectTemplates.Template>> stored = new HashMap<>();

    MessagePrediction(String projectId, String journeyId, String journeyName, int version, boolean journeyTransactional,
                      MessageRenderer renderer, ProjectTemplates templates, DeliverySettings settings, SubjectStore subjects,
                      ConsentStore consent, Tally tally) {
        this.projectId = projectId;
        this.journeyId = journeyId;
        this.journeyName = journeyName;
        this.version = version;
        this.journeyTransactional = journeyTransactional;
        this.renderer = renderer;
        this.templates = templates;
        this.snippets = templates.snippets(projectId);
        this.settings = settings;
        this.subjects = subjects;
        this.consent = consent;
        this.tally = tally;
    }

    /** The first admission of a message step's visit: rendered here, once. */
    Admission first(SimulatedSubject subject, EntryEvent entry, MessageStep step, int visit, Instant now) {
        String userId = entry.subjectId();
        Optional<ProjectTemplates.Template> template = template(step);
        if (template.isEmpty()) {
            tally.templateError(step.id(), new TemplateError("templateId", 0, 0, "template " + step.templateId()
                    + " does not exist in this project"), userId);
            tally.failed();
            return new Admission(Admission.Kind.FAILED, null);
        }
        String workflowId = JourneyIds.workflowId(journeyId, entry.subjectType(), entry.subjectId(), entry.id());
        SendMessage m = new SendMessage(JourneyIds.messageId(workflowId, step.id(), visit), projectId, journeyId, journeyName, version,
                workflowId, step.id(), step.channel(), null, entry, step.channelId(), transactional(step), step.templateId());
        MessageRenderer.Rendering rendering = renderer.render(m, template.get(), subject.user(subjects, projectId), snippets);
        snippets.throwIfUnavailable();
        if (!rendering.result().ok()) {
            TemplateError first = rendering.result().errors().get(0);
            tally.templateError(step.id(), first, userId);
            tally.failed();
            return new Admission(Admission.Kind.FAILED, null);
        }
        tally.rendered(userId, step.id(), step.channel(), rendering.language().locale(), rendering.result().rendered());
        if (step.topic() != null && !transactional(step)
                && !consent.decide(projectId, entry.subjectType(), userId, step.topic(), step.channel()).allowed()) {
            tally.suppressed();
            return new Admission(Admission.Kind.SUPPRESSED, null);
        }
        return admit(subject, step, now);
    }

    /** Quiet hours, then caps; counts what the message becomes unless it is held. */
    Admission admit(SimulatedSubject subject, MessageStep step, Instant now) {
        if (!transactional(step)) {
            Instant until = settings.quietUntil(step.channel(), subject.zone(subjects, projectId), now);
            if (until != null) {
                return new Admission(Admission.Kind.HELD, until);
            }
            for (DeliverySettings.Cap cap : settings.caps()) {
                if (cap.applies(step.channel()) && subject.admittedWithin(cap, now) >= cap.limit()) {
                    tally.capped();
                    return new Admission(Admission.Kind.CAPPED, null);
                }
            }
            subject.admit(now, step.channel());
        }
        tally.sent(step.channel());
        return new Admission(Admission.Kind.SENT, null);
    }

    private boolean transactional(MessageStep step) {
        return step.isTransactional() || journeyTransactional;
    }

    /** The draft's inline template with its translations, or the project's stored template as it is now. */
    private Optional<ProjectTemplates.Template> template(MessageStep step) {
        if (step.templateId() != null) {
            return stored.computeIfAbsent(step.templateId(), id -> templates.template(projectId, id));
        }
        if (step.template() == null) {
            return Optional.empty();
        }
        Translations translations = step.translations() == null && step.defaultLocale() == null ? Translations.NONE
                : new Translations(step.defaultLocale(), step.translations() == null ? Map.of() : step.translations());
        return Optional.of(new ProjectTemplates.Template(step.template(), translations));
    }
}
