package dev.journey.worker.message;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Range;
import org.jsoup.parser.Parser;

import dev.journey.worker.consent.PreferenceLinks;
import dev.journey.worker.sign.SignedTokens;

/**
 * Tracked links: {@code <baseUrl>/c/<token>}, where the token carries (project, message, url) and an
 * HMAC-SHA256 of them with the project's link secret. The redirect endpoint needs no API key, and
 * nobody can make it record a click or redirect anywhere for a message they did not receive.
 *
 * <p>What is rewritten: the http(s) {@code href} of every link ({@code <a>}, {@code <area>}) of an
 * {@code html} field, found by an HTML parser and replaced in place so the rest of the HTML stays
 * byte for byte as rendered; and bare http(s) URLs in the other fields, except {@code image},
 * {@code to}, {@code subject} and {@code title} (an image must load directly). Custom-scheme deep
 * links ({@code myapp://…}) stay as they are, since only the app can open them.
 */
public final class TrackedLinks {
    public record Link(String projectId, String messageId, String url) {}

    private static final Set<String> UNTOUCHED = Set.of("image", "to", "subject", "title");
    private static final Pattern BARE = Pattern.compile("https?://[^\\s\"'<>]+");

    private TrackedLinks() {}

    public static Map<String, String> rewrite(Map<String, String> fields, String baseUrl, String secret, String projectId,
                                              String messageId) {
        Map<String, String> out = new LinkedHashMap<>();
        String base = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        fields.forEach((name, value) -> {
            if (value == null || UNTOUCHED.contains(name)) {
                out.put(name, value);
            } else if (name.equals("html")) {
                out.put(name, rewriteLinks(value, url -> trackedUnlessOwn(base, secret, projectId, messageId, url)));
            } else {
                out.put(name, replace(BARE.matcher(value), m -> {
                    String url = m.group();
                    String trailing = "";
                    while (!url.isEmpty() && ".,;:!?)".indexOf(url.charAt(url.length() - 1)) >= 0) {
                        trailing = url.charAt(url.length() - 1) + trailing;
                        url = url.substring(0, url.length() - 1);
                    }
                    return trackedUnlessOwn(base, secret, projectId, messageId, url) + trailing;
                }));
            }
        });
        return out;
    }

    /** An unsubscribe link goes straight to the engine's own page: a click on it is not engagement. */
    private static String trackedUnlessOwn(String base, String secret, String projectId, String messageId, String url) {
        return url.startsWith(base + PreferenceLinks.PATH) ? url : tracked(base, secret, projectId, messageId, url);
    }

    public static String tracked(String base, String secret, String projectId, String messageId, String url) {
        return base + "/c/" + token(secret, new Link(projectId, messageId, url));
    }

    public static String token(String secret, Link link) {
        return SignedTokens.sign(secret, link.projectId(), link.messageId(), link.url());
    }

    /** The link a token names, without checking it: the caller needs the project to find the secret. */
    public static Link read(String token) {
        List<String> parts = SignedTokens.read(token, 3);
        return parts == null ? null : new Link(parts.get(0), parts.get(1), parts.get(2));
    }

    /** Whether the token was made with this secret (compared in constant time). */
    public static boolean verify(String secret, String token) {
        List<String> parts = SignedTokens.read(token, 3);
        return parts != null && SignedTokens.verify(secret, token, parts);
    }

    /** Each link's href value (entities decoded) replaced at its place in the source, last first so earlier places stay put. */
    private static String rewriteLinks(String html, UnaryOperator<String> track) {
        List<Attribute> hrefs = Jsoup.parse(html, "", Parser.htmlParser().setTrackPosition(true)).select("a[href], area[href]").stream()
                .map(link -> link.attribute("href"))
                .filter(href -> isWebUrl(href.getValue()) && href.sourceRange().valueRange().isTracked())
                .sorted(Comparator.comparingInt((Attribute href) -> href.sourceRange().valueRange().startPos()).reversed())
                .toList();
        StringBuilder out = new StringBuilder(html);
        for (Attribute href : hrefs) {
            Range value = href.sourceRange().valueRange();
            out.replace(value.startPos(), value.endPos(), track.apply(href.getValue()));
        }
        return out.toString();
    }

    private static boolean isWebUrl(String url) {
        return url.regionMatches(true, 0, "http://", 0, 7) || url.regionMatches(true, 0, "https://", 0, 8);
    }

    private static String replace(Matcher m, java.util.function.Function<Matcher, String> with) {
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(out);
        return out.toString();
    }
}
