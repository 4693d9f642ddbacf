package dev.journey.worker.consent;

import java.util.List;

import dev.journey.worker.sign.SignedTokens;

/**
 * A subject's link to their subscription preferences: {@code <baseUrl>/preferences/<token>}, the token
 * naming (project, subject, channel, topic) signed with the project's link secret. Opened in a
 * browser it is the preference page; POSTed with {@code List-Unsubscribe=One-Click} (RFC 8058, what a
 * mail client's "unsubscribe" button sends) it unsubscribes from the topic on that channel. Whoever
 * holds the link may change that subject's choices, as with every peer's unsubscribe links: it is
 * sent only to them.
 */
public final class PreferenceLinks {
    public static final String PATH = "/preferences/";

    public record Link(String projectId, String subjectType, String subjectId, String channel, String topicId) {}

    private PreferenceLinks() {}

    public static String url(String baseUrl, String secret, Link link) {
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        return base + PATH + SignedTokens.sign(secret, link.projectId(), link.subjectType(), link.subjectId(), link.channel(),
                link.topicId());
    }

    /** The link a token names, without checking it: the caller needs the project to find the secret. */
    public static Link read(String token) {
        List<String> p = SignedTokens.read(token, 5);
        return p == null ? null : new Link(p.get(0), p.get(1), p.get(2), p.get(3), p.get(4));
    }

    public static boolean verify(String secret, String token) {
        List<String> parts = SignedTokens.read(token, 5);
        return parts != null && SignedTokens.verify(secret, token, parts);
    }
}
