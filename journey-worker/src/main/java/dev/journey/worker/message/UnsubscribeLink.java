package dev.journey.worker.message;

import dev.journey.worker.consent.PreferenceLinks;
import dev.journey.worker.event.EntryEvent;

/**
 * A message's link to its user's preferences for its topic and channel: the same link in the
 * template ({@code message.unsubscribe_url}) and in the e-mail's {@code List-Unsubscribe} header.
 * None for a message without a topic, or a project that has not said where the engine is reached.
 */
final class UnsubscribeLink {
    private UnsubscribeLink() {}

    static String of(SendMessage m, DeliverySettingsStore settings) {
        if (m.topic() == null) {
            return null;
        }
        String base = settings.get(m.projectId()).preferenceBaseUrl();
        return of(m, base, base == null ? null : settings.linkSecret(m.projectId()).orElse(null));
    }

    /** With the project's preference base URL and link secret already read (either null: none). */
    static String of(SendMessage m, String base, String secret) {
        if (m.topic() == null || base == null || secret == null) {
            return null;
        }
        EntryEvent e = m.entryEvent();
        return PreferenceLinks.url(base, secret, new PreferenceLinks.Link(m.projectId(), e.subjectType(), e.subjectId(), m.channel(),
                m.topic()));
    }
}
