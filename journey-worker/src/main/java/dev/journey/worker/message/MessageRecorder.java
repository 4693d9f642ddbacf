package dev.journey.worker.message;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.observe.WorkerMetrics;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.db.Sql;
import dev.journey.worker.dsl.JourneyStore;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.subject.SubjectStore;

/**
 * Renders a message the first time it is asked for and records it; every later call (a retry, the
 * send after the admission) gets what was recorded, so every attempt sends the same content. Links
 * are made trackable here, once, so the log shows exactly what was sent.
 */
class MessageRecorder {
    /** Channels whose content a person reads and clicks. */
    private static final Set<ChannelType> TRACKED = EnumSet.of(ChannelType.EMAIL, ChannelType.PUSH, ChannelType.INAPP);

    /**
     * Inline templates of stored versions, by (project, journey, version, step): a version never
     * changes, and reading one template reads its whole stored version. Bounded by characters.
     */
    private static final long INLINE_TEMPLATE_CACHE_CHARS = 32L * 1024 * 1024;

    private final Sql sql;
    private final Cache<String, Optional<Map<String, String>>> inlineTemplates = Caffeine.newBuilder()
            .maximumWeight(INLINE_TEMPLATE_CACHE_CHARS)
            .weigher((String key, Optional<Map<String, String>> fields) -> key.length()
                    + fields.map(f -> f.entrySet().stream().mapToInt(e -> e.getKey().length()
                            + (e.getValue() == null ? 0 : e.getValue().length())).sum()).orElse(0))
            .build();
    private final MessageStore messages;
    private final ProjectTemplates templates;
    private final DeliverySettingsStore settings;
    private final TemplateRenderer renderer;
    private final SubjectStore subjects;
    private final ObjectMapper json;
    private final WorkerMetrics metrics;

    MessageRecorder(Sql sql, TemplateRenderer renderer, SubjectStore subjects, ObjectMapper json, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.sql = sql;
        this.messages = new MessageStore(sql);
        this.templates = new ProjectTemplates(sql);
        this.settings = new DeliverySettingsStore(sql);
        this.renderer = renderer;
        this.subjects = subjects;
        this.json = json;
    }

    MessageStore.Recorded record(SendMessage m) {
        return messages.find(m.messageId()).orElseGet(() -> renderAndRecord(m));
    }

    private MessageStore.Recorded renderAndRecord(SendMessage m) {
        Map<String, String> fields = fields(m);
        if (fields == null) {
            return messages.recordOnce(m, "{}", MessageStatus.FAILED, m.templateId() != null
                    ? "template " + m.templateId() + " does not exist in this project"
                    : "step " + m.stepId() + " of journey " + m.journeyId() + " version " + m.journeyVersion() + " has no template");
        }
        EntryEvent entry = m.entryEvent();
        // {% render %} and {% include %} find the project's snippets, and only its own.
        ProjectTemplates.Snippets snippets = templates.snippets(m.projectId());
        RenderResult result = renderer.renderFields(fields,
                MessageContext.of(m, subjects.user(m.projectId(), entry.subjectType(), entry.subjectId())), snippets);
        // A snippet the database could not give is an outage, not a template error: tried again, never recorded as failed.
        snippets.throwIfUnavailable();
        if (!result.ok()) {
            TemplateError e = result.errors().get(0);
            metrics.renderFailed(m.channel());
            String error = "template field " + e.field() + " (line " + e.line() + ", column " + e.column() + "): " + e.message();
            return messages.recordOnce(m, write(result.rendered()), MessageStatus.FAILED, error);
        }
        Map<String, String> rendered = result.rendered();
        if (ChannelType.of(m.channel()).filter(TRACKED::contains).isPresent()) {
            String base = settings.get(m.projectId()).clickBaseUrl();
            if (base != null) {
                String secret = settings.linkSecret(m.projectId()).orElseThrow();
                rendered = TrackedLinks.rewrite(rendered, base, secret, m.projectId(), m.messageId());
            }
        }
        return messages.recordOnce(m, write(rendered), MessageStatus.QUEUED, null);
    }

    /**
     * The fields to render: the inline template the message carries (runs started with the whole
     * definition), else the project's stored template it names, else the inline template of its
     * step, read from the stored journey version (workflows carry no template bodies). Null if none.
     */
    private Map<String, String> fields(SendMessage m) {
        if (m.template() != null) {
            return m.template();
        }
        if (m.templateId() != null) {
            return templates.fields(m.projectId(), m.templateId()).orElse(null);
        }
        String key = m.projectId() + "/" + m.journeyId() + "/" + m.journeyVersion() + "/" + m.stepId();
        return inlineTemplates.get(key, k -> JourneyStore.inlineTemplate(sql, m.projectId(), m.journeyId(), m.journeyVersion(),
                m.stepId())).orElse(null);
    }

    private String write(Map<String, String> content) {
        try {
            return json.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendered fields could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
