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
import com.google.auth.Retryable;


/** One FCM HTTP v1 request: {@code POST <baseUrl>/v1/projects/<fcmProjectId>/messages:send} with an OAuth bearer token. */
final class FcmPush {
    private final HttpClient http;
    private final ObjectMapper json;
    private final FcmAccessTokens tokens = new FcmAccessTokens();

    FcmPush(HttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    SendResult send(FcmConfig c, Outgoing o, PushTargets.Device device) throws IOException, InterruptedException {
        String bearer;
        try {
            bearer = tokens.token(c);
        } catch (IOException e) {
            // Google's token endpoint refusing the key (400/401) is final; its outages are not.
            String error = "FCM access token: " + e.getMessage();
            return e instanceof Retryable r && !r.isRetryable() ? SendResult.reject(error) : SendResult.retry(error);
        }
        URI uri = URI.create(c.providerUrl() + "/v1/projects/" + URLEncoder.encode(c.fcmProjectId(), StandardCharsets.UTF_8)
                + "/messages:send");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Authorization", "Bearer " + bearer)
                .header(WebhookChannel.IDEMPOTENCY_HEADER, o.messageId())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(o, device.token()))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
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
