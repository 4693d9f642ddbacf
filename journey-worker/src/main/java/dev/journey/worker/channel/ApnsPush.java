package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;


/** One APNs request: {@code POST <baseUrl>/3/device/<token>} over HTTP/2 with an ES256 provider token. */
final class ApnsPush {
    /** The provider token's signer: the same team, key id and key sign the same tokens. */
    private record SigningKey(String teamId, String keyId, String privateKey) {}

    /** The key cannot sign: a configuration problem, never cured by trying again. */
    private static final class UnusableKey extends RuntimeException {
        UnusableKey(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    private final HttpClient http;
    private final ObjectMapper json;
    // Apple refuses provider tokens refreshed more often than every 20 minutes, and older than an hour.
    private final Cache<SigningKey, String> providerTokens = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(40))
            .build();

    ApnsPush(HttpClient http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    SendResult send(ApnsConfig c, Outgoing o, PushTargets.Device device, Deadline deadline) throws IOException, InterruptedException {
        SigningKey key = new SigningKey(c.teamId(), c.keyId(), c.privateKey());
        String providerToken;
        try {
            providerToken = providerTokens.get(key, k -> sign(c));
        } catch (UnusableKey e) {
            return SendResult.reject("APNs key unusable: " + e.getMessage());
        }
        URI uri = URI.create(c.providerUrl() + "/3/device/" + URLEncoder.encode(device.token(), StandardCharsets.UTF_8));
        String apnsId = UUID.nameUUIDFromBytes((o.messageId() + "#" + device.deviceId()).getBytes(StandardCharsets.UTF_8)).toString();
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .version(HttpClient.Version.HTTP_2)
                .header("Content-Type", "application/json")
                .header("authorization", "bearer " + providerToken)
                .header("apns-topic", c.bundleId())
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-id", apnsId)
                .header("apns-collapse-id", o.messageId())
                .POST(HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body(o))));
        HttpResponse<String> response = ProviderHttp.send(http, request, REQUEST_TIMEOUT, deadline);
        SendResult result = SendResult.ofHttp(response.statusCode(), response.body());
        if (!result.delivered()) {
            String reason = "";
            try {
                reason = json.readTree(response.body()).path("reason").asText("");
            } catch (IOException ignored) {
                // Not JSON: the status decides.
            }
            if (response.statusCode() == 410 || reason.equals("Unregistered") || reason.equals("BadDeviceToken")) {
                return SendResult.reject("APNs: token " + (reason.isEmpty() ? "unregistered" : reason), Map.of(PushChannel.TOKEN_DEAD, true));
            }
            if (reason.equals("ExpiredProviderToken")) {
                providerTokens.invalidate(key);
                return SendResult.retry("APNs: ExpiredProviderToken");
            }
        }
        return result;
    }

    /** The APNs payload for one token. */
    ObjectNode body(Outgoing o) {
        ObjectNode body = json.createObjectNode();
        ObjectNode aps = body.putObject("aps");
        ObjectNode alert = aps.putObject("alert");
        PushChannel.putIf(alert, "title", o.field("title"));
        PushChannel.putIf(alert, "body", o.field("body"));
        aps.put("sound", "default");
        if (o.field("image") != null) {
            aps.put("mutable-content", 1);
        }
        PushChannel.data(o).forEach(body::put);
        return body;
    }

    /** {"alg":"ES256","kid":keyId}.{"iss":teamId,"iat":now}, signed with the team's .p8 key. */
    private static String sign(ApnsConfig c) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(c.keyId()).build(),
                    new JWTClaimsSet.Builder().issuer(c.teamId()).issueTime(new Date()).build());
            jwt.sign(new ECDSASigner(c.signingKey()));
            return jwt.serialize();
        } catch (GeneralSecurityException | JOSEException e) {
            throw new UnusableKey(e);
        }
    }
}
