package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.Request;
import okhttp3.RequestBody;

/** One FCM HTTP v1 request: {@code POST <baseUrl>/v1/projects/<fcmProjectId>/messages:send} with an OAuth bearer token. */
final class FcmPush {
    private static final okhttp3.MediaType JSON_UTF8 = okhttp3.MediaType.get("application/json; charset=UTF-8");
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** FCM's documented error statuses and codes are upper-case words ("INVALID_ARGUMENT", "UNREGISTERED"). */
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Z_]{1,40}");

    private final ProviderHttp http;
    private final ObjectMapper json;
    private final FcmAccessTokens tokens;

    FcmPush(ProviderHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
        this.tokens = new FcmAccessTokens(http, json);
    }

    SendResult send(ProjectChannel channel, FcmConfig c, Outgoing o, PushTargets.Device device, Deadline deadline) throws IOException {
        String bearer;
        try {
            bearer = tokens.token(channel, c, deadline);
        } catch (FcmAccessTokens.Refused e) {
            // Google's token endpoint refusing the key (400/401) is final; its outages (5xx) are not.
            return new SendResult(false, e.verdict.retryable(), "FCM access token: " + e.verdict.error(), Map.of());
        } catch (IOException e) {
            return ConnectionFailures.of(Peer.FCM_TOKEN_ENDPOINT, e);
        }
        Request request = new Request.Builder()
                .url(c.providerUrl() + "/v1/projects/" + URLEncoder.encode(c.fcmProjectId(), StandardCharsets.UTF_8) + "/messages:send")
                .header("Authorization", "Bearer " + bearer)
                .header(WebhookChannel.IDEMPOTENCY_HEADER, o.messageId())
                .post(RequestBody.create(json.writeValueAsBytes(body(o, device.token())), JSON_UTF8))
                .build();
        ProviderHttp.Answer answer = http.send(request, REQUEST_TIMEOUT, deadline);
        if (answer.ok()) {
            return SendResult.ok(Map.of());
        }
        if (unregistered(answer)) {
            return SendResult.reject("FCM: token unregistered", Map.of(PushChannel.TOKEN_DEAD, true));
        }
        return SendResult.ofHttp(answer.status(), Peer.FCM, answer.code(json, "/error/status", ERROR_CODE));
    }

    /** The FCM v1 request body for one token. */
    ObjectNode body(Outgoing o, String token) {
        ObjectNode message = json.createObjectNode();
        message.put("token", token);
        ObjectNode notification = message.putObject("notification");
        PushChannel.putIf(notification, "title", o.field("title"));
        PushChannel.putIf(notification, "body", o.field("body"));
        PushChannel.putIf(notification, "image", o.field("image"));
        ObjectNode data = message.putObject("data");
        PushChannel.data(o).forEach(data::put);
        message.putObject("android").put("collapse_key", o.messageId());
        ObjectNode apns = message.putObject("apns");
        apns.putObject("headers").put("apns-collapse-id", o.messageId());
        if (o.field("image") != null) {
            apns.putObject("fcm_options").put("image", o.field("image"));
        }
        String link = o.field("deepLink");
        if (link != null && link.startsWith("https://")) {
            message.putObject("webpush").putObject("fcm_options").put("link", link);
        }
        ObjectNode body = json.createObjectNode();
        body.set("message", message);
        return body;
    }

    /** FCM answers a token of an uninstalled app with 404 and error code UNREGISTERED. */
    private boolean unregistered(ProviderHttp.Answer answer) {
        if (answer.status() == 404 || answer.code(json, "/error/status", ERROR_CODE).filter("UNREGISTERED"::equals).isPresent()) {
            return true;
        }
        try {
            for (JsonNode detail : json.readTree(answer.body()).path("error").path("details")) {
                if ("UNREGISTERED".equals(detail.path("errorCode").asText())) {
                    return true;
                }
            }
        } catch (IOException ignored) {
            // Not JSON: the status decides.
        }
        return false;
    }
}
