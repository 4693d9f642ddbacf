package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/** One FCM HTTP v1 request: {@code POST <baseUrl>/v1/projects/<fcmProjectId>/messages:send} with an OAuth bearer token. */
final class FcmPush {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;
    private final ObjectMapper json;
    private final FcmAccessTokens tokens;

    FcmPush(HttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
        this.tokens = new FcmAccessTokens(http, json);
    }

    SendResult send(FcmConfig c, Outgoing o, PushTargets.Device device, Deadline deadline) throws IOException, InterruptedException {
        String bearer;
        try {
            bearer = tokens.token(c, deadline);
        } catch (FcmAccessTokens.Refused e) {
            // Google's token endpoint refusing the key (400/401) is final; its outages (5xx) are not.
            return new SendResult(false, e.verdict.retryable(), "FCM access token: " + e.getMessage(), Map.of());
        } catch (IOException e) {
            return SendResult.retry("FCM access token: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        URI uri = URI.create(c.providerUrl() + "/v1/projects/" + URLEncoder.encode(c.fcmProjectId(), StandardCharsets.UTF_8)
                + "/messages:send");
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Authorization", "Bearer " + bearer)
                .header(WebhookChannel.IDEMPOTENCY_HEADER, o.messageId())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(o, device.token()))));
        HttpResponse<String> response = ProviderHttp.send(http, request, REQUEST_TIMEOUT, deadline);
        SendResult result = SendResult.ofHttp(response.statusCode(), response.body());
        if (!result.delivered() && unregistered(response)) {
            return SendResult.reject("FCM: token unregistered", Map.of(PushChannel.TOKEN_DEAD, true));
        }
        return result;
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
    private boolean unregistered(HttpResponse<String> response) {
        if (response.statusCode() == 404) {
            return true;
        }
        try {
            JsonNode error = json.readTree(response.body()).path("error");
            if ("UNREGISTERED".equals(error.path("status").asText())) {
                return true;
            }
            for (JsonNode detail : error.path("details")) {
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
