package dev.journey.worker.message;

import java.util.EnumSet;
import java.util.LinkedHashMap;
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
import dev.journey.templates.Translations;
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
    private final Cache<String, Optional<ProjectTemplates.Template>> inlineTemplates = Caffeine.newBuilder()
            .maximumWeight(INLINE_TEMPLATE_CACHE_CHARS)
            .weigher((String key, Optional<ProjectTemplates.Template> template) -> key.length()
                    + template.map(t -> chars(t.fields()) + t.translations().variants().values().stream()
                            .mapToInt(MessageRecorder::chars).sum()).orElse(0))
            .build();
    private final MessageStore messages;
    private final ProjectTemplates templates;
    private final DeliverySettingsStore settings;
    private final MessageRenderer renderer;
    private final SubjectStore subjects;
    private final ObjectMapper json;
    private final WorkerMetrics metrics;

    MessageRecorder(Sql sql, TemplateRenderer renderer, SubjectStore subjects, ObjectMapper json, WorkerMetrics metrics) {
        this.metrics = metrics;
        this.sql = sql;
        this.messages = new MessageStore(sql);
        this.templates = new ProjectTemplates(sql);
        this.settings = new DeliverySettingsStore(sql);
        this.renderer = new MessageRenderer(renderer);
        this.subjects = subjects;
        this.json = json;
    }

    MessageStore.Recorded record(SendMessage m) {
        return messages.find(m.messageId()).orElseGet(() -> renderAndRecord(m));
    }

    private MessageStore.Recorded renderAndRecord(SendMessage m) {
        ProjectTemplates.Template template = template(m);
        if (template == null) {
            return messages.recordOnce(m, "{}", MessageStatus.FAILED, m.templateId() != null
                    ? "template " + m.templateId() + " does not exist in this project"
                    : "step " + m.stepId() + " of journey " + m.journeyId() + " version " + m.journeyVersion() + " has no template");
        }
        EntryEvent entry = m.entryEvent();
        // {% render %} and {% include %} find the project's snippets, and only its own.
        ProjectTemplates.Snippets snippets = templates.snippets(m.projectId());
        Links links = links(m);
        MessageRenderer.Rendering rendering = renderer.render(m, template,
                subjects.user(m.projectId(), entry.subjectType(), entry.subjectId()), snippets,
                UnsubscribeLink.of(m, links.delivery().preferenceBaseUrl(), links.secret()));
        Translations.Choice language = rendering.language();
        if (language.missing() != null) {
            metrics.translationMissing(m.channel());
        }
        RenderResult result = rendering.result();
        // A snippet the database could not give is an outage, not a template error: tried again, never recorded as failed.
        snippets.throwIfUnavailable();
        if (!result.ok()) {
            TemplateError e = result.errors().get(0);
            metrics.renderFailed(m.channel());
            String error = "template field " + e.field() + " (line " + e.line() + ", column " + e.column() + "): " + e.message();
            return messages.recordOnce(m, write(result.rendered()), MessageStatus.FAILED, error, language.locale(), language.missing());
        }
        Map<String, String> rendered = result.rendered();
        DeliverySettings delivery = links.delivery();
        if (tracked(m) && delivery.clickBaseUrl() != null && links.secret() != null) {
            rendered = TrackedLinks.rewrite(rendered, delivery.clickBaseUrl(), links.secret(), m.projectId(), m.messageId());
            if (ChannelType.EMAIL.id().equals(m.channel()) && delivery.openBaseUrl() != null && rendered.get("html") != null) {
                rendered = new LinkedHashMap<>(rendered);
                rendered.put("html", OpenPixel.add(rendered.get("html"), delivery.openBaseUrl(), links.secret(), m.projectId(),
                        m.messageId()));
            }
        }
        return messages.recordOnce(m, write(rendered), MessageStatus.QUEUED, null, language.locale(), language.missing());
    }

    /**
     * The template to render: the inline template the message carries (runs started with the whole
     * definition, before translations existed), else the project's stored template it names, else
     * the inline template of its step and its translations, read from the stored journey version
     * (workflows carry no template bodies). Null if none.
     */
    private ProjectTemplates.Template template(SendMessage m) {
        if (m.template() != null) {
            return new ProjectTemplates.Template(m.template(), Translations.NONE);
        }
        if (m.templateId() != null) {
            return templates.template(m.projectId(), m.templateId()).orElse(null);
        }
        String key = m.projectId() + "/" + m.journeyId() + "/" + m.journeyVersion() + "/" + m.stepId();
        return inlineTemplates.get(key, k -> JourneyStore.inlineTemplate(sql, m.projectId(), m.journeyId(), m.journeyVersion(), m.stepId())
                .map(fields -> new ProjectTemplates.Template(fields, JourneyStore.inlineTranslations(sql, m.projectId(), m.journeyId(),
                        m.journeyVersion(), m.stepId())))).orElse(null);
    }

    /** The project's delivery settings and link secret, as one rendering needs them (null secret: none). */
    private record Links(DeliverySettings delivery, String secret) {}

    /**
     * Read once for a message: its unsubscribe link, tracked links and open pixel all come from them.
     * Not read at all for a message that has none of those (no topic, a channel nobody clicks in).
     */
    private Links links(SendMessage m) {
        if (m.topic() == null && !tracked(m)) {
            return new Links(DeliverySettings.NONE, null);
        }
        DeliverySettings delivery = settings.get(m.projectId());
        boolean linked = delivery.clickBaseUrl() != null || delivery.preferenceBaseUrl() != null;
        return new Links(delivery, linked ? settings.linkSecret(m.projectId()).orElse(null) : null);
    }

    private static boolean tracked(SendMessage m) {
        return ChannelType.of(m.channel()).filter(TRACKED::contains).isPresent();
    }

    private static int chars(Map<String, String> fields) {
        return fields.entrySet().stream().mapToInt(e -> e.getKey().length() + (e.getValue() == null ? 0 : e.getValue().length())).sum();
    }

    private String write(Map<String, String> content) {
        try {
            return json.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendered fields could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
