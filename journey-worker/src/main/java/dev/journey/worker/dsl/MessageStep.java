package dev.journey.worker.dsl;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code template} (field name to Liquid source) — or the project's stored template
 * {@code templateId}, as it is when the message is sent — and hands it to the project's channel of
 * that type, or to the channel named by {@code channelId}; an inline template may carry
 * {@code translations} per locale and name its own {@code defaultLocale} (templates' Translations). A {@code transactional} message (a
 * receipt, a password reset) is neither frequency-capped nor held by quiet hours, nor held back by consent. {@code topic}: the
 * project's subscription topic the message is about; users unsubscribed from it on this channel are skipped (suppressed).
 */
public record MessageStep(String id, String channel, String channelId, Boolean transactional, Map<String, String> template,
                          String templateId, String next, Map<String, Map<String, String>> translations, String defaultLocale,
                          String topic)
        implements Step {
    public MessageStep(String id, String channel, String channelId, Boolean transactional, Map<String, String> template,
                       String templateId, String next, Map<String, Map<String, String>> translations, String defaultLocale) {
        this(id, channel, channelId, transactional, template, templateId, next, translations, defaultLocale, null);
    }

    @Override
    public List<String> successors() {
        return Arrays.asList(next);
    }

    /**
     * The step without its inline template's body: what a workflow carries. The send reads the
     * body from the stored version by (journey, version, step id).
     */
    public MessageStep withoutTemplate() {
        return template == null ? this : new MessageStep(id, channel, channelId, transactional, null, templateId, next, null, null, topic);
    }

    public boolean isTransactional() {
        return Boolean.TRUE.equals(transactional);
    }
}
