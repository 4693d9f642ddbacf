package dev.journey.worker.message;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One push notification to one device token, in the provider's own request format: FCM HTTP v1
 * ({@code POST <baseUrl>/v1/projects/<fcmProjectId>/messages:send}, OAuth bearer token) or APNs
 * ({@code POST <baseUrl>/3/device/<token>}, ES256 provider token). Fields from the template:
 * {@code title}, {@code body}, {@code image}, {@code deepLink}, and {@code data.<key>} for custom data.
 * Both carry the message id as collapse id, so a repeated notification replaces the first on the device.
 */
public class PushChannel {
    /** The provider said this token belongs to no installed app any more: never send to it again. */
    public static final String TOKEN_DEAD = "tokenDead";
    /** Apple refuses provider tokens refreshed more often than every 20 minutes, and older than an hour. */
    private static final long APNS_TOKEN_REUSE_SECONDS = 40 * 60;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;
    private final Map<String, String[]> apnsTokens = new ConcurrentHashMap<>();

    public PushChannel(ObjectMapper json) {
        this.json = json;
    }

    public SendResult send(Outgoing o, DeviceTokens.Device device) {
        String provider = o.config().path("provider").asText();
        try {
            return "apns".equals(provider) ? apns(o, device) : fcm(o, device);
        } catch (IllegalArgumentException e) {
            return SendResult.reject("push channel misconfigured: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            return SendResult.reject("APNs key unusable: " + e.getMessage());
        } catch (IOException e) {
            return SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted");
        }
    }

    /** The FCM v1 request body for one token. */
    ObjectNode fcmBody(Outgoing o, String token) {
        ObjectNode message = json.createObjectNode();
        message.put("token", token);
        ObjectNode notification = message.putObject("notification");
        putIf(notification, "title", o.field("title"));
        putIf(notification, "body", o.field("body"));
        putIf(notification, "image", o.field("image"));
        ObjectNode data = message.putObject("data");
        data(o).forEach(data::put);
        message.putObject("android").put("collapse_key", o.message().messageId());
        ObjectNode apns = message.putObject("apns");
        apns.putObject("headers").put("apns-collapse-id", o.message().messageId());
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

    /** The APNs payload for one token. */
    ObjectNode apnsBody(Outgoing o) {
        ObjectNode body = json.createObjectNode();
        ObjectNode aps = body.putObject("aps");
        ObjectNode alert = aps.putObject("alert");
        putIf(alert, "title", o.field("title"));
        putIf(alert, "body", o.field("body"));
        aps.put("sound", "default");
        if (o.field("image") != null) {
            aps.put("mutable-content", 1);
        }
        data(o).forEach(body::put);
        return body;
    }

    private SendResult fcm(Outgoing o, DeviceTokens.Device device) throws IOException, InterruptedException {
        JsonNode c = o.config();
        URI uri = URI.create(c.path("baseUrl").asText("https://fcm.googleapis.com") + "/v1/projects/"
                + URLEncoder.encode(c.path("fcmProjectId").asText(), StandardCharsets.UTF_8) + "/messages:send");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json; charset=UTF-8")
                .header("Authorization", "Bearer " + c.path("accessToken").asText())
                .header(WebhookChannel.IDEMPOTENCY_HEADER, o.message().messageId())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(fcmBody(o, device.token()))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        SendResult result = SendResult.ofHttp(response.statusCode(), response.body());
        if (!result.delivered() && fcmUnregistered(response)) {
            return SendResult.reject("FCM: token unregistered", Map.of(TOKEN_DEAD, true));
        }
        return result;
    }

    /** FCM answers a token of an uninstalled app with 404 and error code UNREGISTERED. */
    private boolean fcmUnregistered(HttpResponse<String> response) {
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

    private SendResult apns(Outgoing o, DeviceTokens.Device device)
            throws IOException, InterruptedException, GeneralSecurityException {
        JsonNode c = o.config();
        URI uri = URI.create(c.path("baseUrl").asText("https://api.push.apple.com") + "/3/device/"
                + URLEncoder.encode(device.token(), StandardCharsets.UTF_8));
        String apnsId = UUID.nameUUIDFromBytes((o.message().messageId() + "#" + device.deviceId())
                .getBytes(StandardCharsets.UTF_8)).toString();
        HttpRequest request = HttpRequest.newBuilder(uri)
                .version(HttpClient.Version.HTTP_2)
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json")
                .header("authorization", "bearer " + apnsToken(c))
                .header("apns-topic", c.path("bundleId").asText())
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-id", apnsId)
                .header("apns-collapse-id", o.message().messageId())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(apnsBody(o))))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        SendResult result = SendResult.ofHttp(response.statusCode(), response.body());
        if (!result.delivered()) {
            String reason = "";
            try {
                reason = json.readTree(response.body()).path("reason").asText("");
            } catch (IOException ignored) {
                // Not JSON: the status decides.
            }
            if (response.statusCode() == 410 || reason.equals("Unregistered") || reason.equals("BadDeviceToken")) {
                return SendResult.reject("APNs: token " + (reason.isEmpty() ? "unregistered" : reason), Map.of(TOKEN_DEAD, true));
            }
            if (reason.equals("ExpiredProviderToken")) {
                apnsTokens.remove(c.path("keyId").asText());
                return SendResult.retry("APNs: ExpiredProviderToken");
            }
        }
        return result;
    }

    /** The ES256 provider token: {"alg":"ES256","kid":keyId}.{"iss":teamId,"iat":now}, reused while Apple accepts it. */
    String apnsToken(JsonNode c) throws GeneralSecurityException {
        String keyId = c.path("keyId").asText();
        long now = System.currentTimeMillis() / 1000;
        String[] cached = apnsTokens.get(keyId);
        if (cached != null && now - Long.parseLong(cached[1]) < APNS_TOKEN_REUSE_SECONDS) {
            return cached[0];
        }
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"ES256\",\"kid\":\"" + keyId + "\"}").getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + c.path("teamId").asText() + "\",\"iat\":" + now + "}")
                .getBytes(StandardCharsets.UTF_8));
        Signature es256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        es256.initSign(privateKey(c.path("privateKey").asText()));
        es256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
        String token = header + "." + claims + "." + b64.encodeToString(es256.sign());
        apnsTokens.put(keyId, new String[] {token, Long.toString(now)});
        return token;
    }

    public static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String base64 = pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    /** Custom data: every {@code data.<key>} field, plus the deep link, the image and the message id (strings, as FCM requires). */
    private static Map<String, String> data(Outgoing o) {
        Map<String, String> data = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.content().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().startsWith("data.") && f.getKey().length() > 5) {
                data.put(f.getKey().substring(5), f.getValue().asText());
            }
        }
        if (o.field("deepLink") != null) {
            data.put("deepLink", o.field("deepLink"));
        }
        if (o.field("image") != null) {
            data.put("image", o.field("image"));
        }
        data.put("messageId", o.message().messageId());
        return data;
    }

    private static void putIf(ObjectNode node, String name, String value) {
        if (value != null) {
            node.put(name, value);
        }
    }
}
