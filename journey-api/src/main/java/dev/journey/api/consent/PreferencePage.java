package dev.journey.api.consent;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import dev.journey.api.access.Public;
import dev.journey.api.error.ApiException;
import dev.journey.worker.consent.ConsentStore;
import dev.journey.worker.consent.PreferenceLinks;
import dev.journey.worker.consent.SubscriptionStatus;
import dev.journey.worker.consent.Topic;
import dev.journey.worker.message.DeliverySettingsStore;

/**
 * {@code /preferences/{token}}: the page a message's unsubscribe link opens, and the target of the
 * e-mail's one-click unsubscribe (RFC 8058). No API key: the signed token is the authority, naming
 * the project, the user, the channel and the topic of the message; anything else is a 404.
 *
 * <ul>
 *   <li>{@code GET}: the project's topics, each checked if the user gets it on this channel, and a
 *       button to unsubscribe from the message's topic. A GET never changes anything (mail scanners
 *       open links).</li>
 *   <li>{@code POST} with {@code List-Unsubscribe=One-Click}: unsubscribes from the topic on this
 *       channel; what a mail client's button sends.</li>
 *   <li>{@code POST} of the page's form: {@code action=unsubscribe} (the topic), {@code action=unsubscribe-all}
 *       (every topic on this channel), or {@code action=save} with the checked {@code topic}s (each topic
 *       {@code shown} on the page set accordingly).</li>
 * </ul>
 */
@Public
@Path("/preferences/{token}")
public class PreferencePage {
    private static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    @Inject
    ConsentStore consent;
    @Inject
    DeliverySettingsStore settings;
    @Inject
    Subscriptions subscriptions;

    @GET
    @APIResponse(responseCode = "200", description = "The preference page", content = @Content(mediaType = "text/html",
            schema = @Schema(type = SchemaType.STRING)))
    public Response show(@PathParam("token") String token) {
        PreferenceLinks.Link link = verified(token);
        return page(link, null);
    }

    @POST
    @RequestBody(content = @Content(mediaType = "application/x-www-form-urlencoded", schema = @Schema(type = SchemaType.STRING,
            description = "List-Unsubscribe=One-Click, or the page's form: action=unsubscribe|unsubscribe-all|save, topic=… (checked), shown=…")))
    @APIResponse(responseCode = "200", description = "The page again, saying what changed (text/plain \"unsubscribed\" for a one-click POST)",
            content = @Content(mediaType = "text/html", schema = @Schema(type = SchemaType.STRING)))
    public Response change(@PathParam("token") String token, String body) {
        PreferenceLinks.Link link = verified(token);
        Map<String, List<String>> form = form(body);
        if (form.getOrDefault("List-Unsubscribe", List.of()).contains("One-Click")) {
            set(link, List.of(link.topicId()), List.of(), "link");
            return Response.ok("unsubscribed\n", "text/plain; charset=utf-8").build();
        }
        String action = first(form, "action");
        String done;
        if ("unsubscribe".equals(action)) {
            set(link, List.of(link.topicId()), List.of(), "page");
            done = "You are unsubscribed from " + topicName(consent.topics(link.projectId()), link) + ".";
        } else if ("unsubscribe-all".equals(action)) {
            set(link, consent.topics(link.projectId()).stream().map(Topic::id).toList(), List.of(), "page");
            done = "You are unsubscribed from every topic by " + channelName(link.channel()) + ".";
        } else if ("save".equals(action)) {
            List<String> shown = form.getOrDefault("shown", List.of());
            set(link, shown, form.getOrDefault("topic", List.of()), "page");
            done = "Your preferences are saved.";
        } else {
            throw new ApiException(400, "invalid_request", "expected List-Unsubscribe=One-Click or the page's form (action)");
        }
        return page(link, done);
    }

    /** Topics in {@code shown} are set: subscribed if in {@code checked}, else unsubscribed; topics that no longer exist are skipped. */
    private void set(PreferenceLinks.Link link, List<String> shown, List<String> checked, String source) {
        Set<String> existing = new HashSet<>(consent.existing(link.projectId(), shown.stream().distinct().limit(1000).toList()));
        List<ConsentStore.Change> changes = new ArrayList<>();
        for (String topic : existing) {
            changes.add(new ConsentStore.Change(topic, link.channel(),
                    checked.contains(topic) ? SubscriptionStatus.SUBSCRIBED : SubscriptionStatus.UNSUBSCRIBED));
        }
        subscriptions.set(link.projectId(), link.subjectType(), link.subjectId(), changes, source);
    }

    private PreferenceLinks.Link verified(String token) {
        PreferenceLinks.Link link = PreferenceLinks.read(token);
        // A token naming a project with a NUL in its id was never made here (and PostgreSQL could not look it up).
        boolean possible = link != null && link.projectId().indexOf('\u0000') < 0;
        String secret = possible ? settings.linkSecret(link.projectId()).orElse(null) : null;
        if (secret == null || !PreferenceLinks.verify(secret, token)) {
            throw ApiException.notFound("this link");
        }
        return link;
    }

    private Response page(PreferenceLinks.Link link, String done) {
        Map<String, ConsentStore.Decision> decisions = consent.decisions(link.projectId(), link.subjectType(), link.subjectId(), link.channel());
        List<Topic> topics = consent.topics(link.projectId());
        String topicName = topicName(topics, link);
        String channel = channelName(link.channel());
        StringBuilder html = new StringBuilder("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">"
                + "<title>Your " + channel + " preferences</title><style>"
                + "body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:2rem auto;padding:0 1rem;color:#1d2430}"
                + "h1{font-size:1.4rem}fieldset{border:1px solid #c8ced8;border-radius:6px;padding:.5rem 1rem}"
                + "label{display:block;padding:.4rem 0}small{display:block;color:#566074;margin-left:1.6rem}"
                + "button{font:inherit;padding:.45rem .9rem;margin:.8rem .5rem 0 0;border-radius:6px;border:1px solid #2a5bd7;"
                + "background:#2a5bd7;color:#fff;cursor:pointer}button.plain{background:#fff;color:#2a5bd7}"
                + "p.done{background:#e6f4ea;border-radius:6px;padding:.5rem 1rem}</style></head><body>");
        html.append("<h1>Your ").append(channel).append(" preferences</h1>");
        if (done != null) {
            html.append("<p class=\"done\" role=\"status\">").append(escape(done)).append("</p>");
        }
        ConsentStore.Decision current = decisions.get(link.topicId());
        if (current != null) {
            html.append("<form method=\"post\"><p>This message was about <strong>").append(escape(topicName))
                    .append("</strong>.</p>");
            if (current.allowed()) {
                html.append("<button type=\"submit\" name=\"action\" value=\"unsubscribe\" id=\"unsubscribe\">Unsubscribe from ")
                        .append(escape(topicName)).append("</button>");
            } else {
                html.append("<p id=\"unsubscribed\">You do not get it by ").append(channel).append(".</p>");
            }
            html.append("</form>");
        }
        html.append("<form method=\"post\"><fieldset><legend>Topics you get by ").append(channel).append("</legend>");
        for (Topic t : topics) {
            ConsentStore.Decision d = decisions.get(t.id());
            String id = "topic-" + escape(t.id());
            html.append("<label for=\"").append(id).append("\"><input type=\"checkbox\" name=\"topic\" id=\"").append(id)
                    .append("\" value=\"").append(escape(t.id())).append('"').append(d != null && d.allowed() ? " checked" : "").append("> ")
                    .append(escape(t.name()));
            if (t.description() != null) {
                html.append("<small>").append(escape(t.description())).append("</small>");
            }
            html.append("</label><input type=\"hidden\" name=\"shown\" value=\"").append(escape(t.id())).append("\">");
        }
        html.append("</fieldset><button type=\"submit\" name=\"action\" value=\"save\" id=\"save\">Save preferences</button>")
                .append("<button type=\"submit\" name=\"action\" value=\"unsubscribe-all\" id=\"unsubscribe-all\" class=\"plain\">")
                .append("Unsubscribe from all</button></form></body></html>");
        return Response.ok(html.toString(), "text/html; charset=utf-8")
                .header("Content-Security-Policy", PAGE_POLICY)
                .header("Referrer-Policy", "no-referrer")
                .header("X-Robots-Tag", "noindex")
                .header("Cache-Control", "no-store")
                .build();
    }

    private static String topicName(List<Topic> topics, PreferenceLinks.Link link) {
        return topics.stream().filter(t -> t.id().equals(link.topicId())).map(Topic::name).findFirst().orElse(link.topicId());
    }

    private static String channelName(String channel) {
        return switch (channel) {
            case "email" -> "e-mail";
            case "sms" -> "SMS";
            case "inapp" -> "in-app";
            default -> channel;
        };
    }

    /** An urlencoded body; anything else (a multipart one-click body) is read for its one-click marker alone. */
    private static Map<String, List<String>> form(String body) {
        Map<String, List<String>> form = new java.util.LinkedHashMap<>();
        if (body == null) {
            return form;
        }
        if (body.contains("List-Unsubscribe") && body.contains("One-Click") && !body.contains("&") && !body.contains("List-Unsubscribe=")) {
            form.put("List-Unsubscribe", List.of("One-Click"));
            return form;
        }
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.computeIfAbsent(name, k -> new ArrayList<>()).add(value.trim());
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored, like a field the form does not have
            }
        }
        return form;
    }

    private static String first(Map<String, List<String>> form, String name) {
        List<String> values = form.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
