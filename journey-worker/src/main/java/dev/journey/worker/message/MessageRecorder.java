package dev.journey.worker.message;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.db.Sql;
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

    private final MessageStore messages;
    private final ProjectTemplates templates;
    private final DeliverySettingsStore settings;
    private final TemplateRenderer renderer;
    private final SubjectStore subjects;
    private final ObjectMapper json;

    MessageRecorder(Sql sql, TemplateRenderer renderer, SubjectStore subjects, ObjectMapper json) {
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
        Map<String, String> fields = m.template() != null ? m.template() : templates.fields(m.projectId(), m.templateId()).orElse(null);
        if (fields == null) {
            return messages.recordOnce(m, "{}", MessageStatus.FAILED, "template " + m.templateId() + " does not exist in this project");
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

    private String write(Map<String, String> content) {
        try {
            return json.writeValueAsString(content);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("rendered fields could not be written: " + e.getOriginalMessage(), e);
        }
    }
}
