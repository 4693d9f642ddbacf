package dev.journey.worker.message;

import java.util.List;
import java.util.Locale;

import dev.journey.worker.sign.SignedTokens;

/**
 * An e-mail's open pixel: a 1×1 image at {@code <baseUrl>/o/<token>}, the token carrying (project,
 * message) signed with the project's link secret, so loading it records that message opened and
 * nothing else. Mail clients that block images never load it, and some (Apple Mail Privacy
 * Protection) load every image on delivery: opens are a signal, clicks the firmer one.
 *
 * <p>A tracked link's token has three parts and an unsubscribe link's five; this one two, so none
 * is read as another.
 */
public final class OpenPixel {
    public record Open(String projectId, String messageId) {}

    public static final String PATH = "/o/";

    private OpenPixel() {}

    /** The HTML with the pixel as the last thing in its body (appended when there is no {@code </body>}). */
    public static String add(String html, String base, String secret, String projectId, String messageId) {
        String img = "<img src=\"" + url(base, secret, projectId, messageId) + "\" width=\"1\" height=\"1\" alt=\"\""
                + " style=\"display:block;width:1px;height:1px;border:0\">";
        int end = html.toLowerCase(Locale.ROOT).lastIndexOf("</body");
        return end < 0 ? html + img : html.substring(0, end) + img + html.substring(end);
    }

    public static String url(String base, String secret, String projectId, String messageId) {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return trimmed + PATH + SignedTokens.sign(secret, projectId, messageId);
    }

    /** The open a token names, without checking it: the caller needs the project to find the secret. */
    public static Open read(String token) {
        List<String> parts = SignedTokens.read(token, 2);
        return parts == null || parts.get(1).indexOf('\n') >= 0 ? null : new Open(parts.get(0), parts.get(1));
    }

    /** Whether the token was made with this secret (compared in constant time). */
    public static boolean verify(String secret, String token) {
        List<String> parts = SignedTokens.read(token, 2);
        return parts != null && SignedTokens.verify(secret, token, parts);
    }
}
