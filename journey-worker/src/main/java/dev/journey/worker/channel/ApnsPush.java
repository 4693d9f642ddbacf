package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

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

import okhttp3.Request;
import okhttp3.RequestBody;


/** One APNs request: {@code POST <baseUrl>/3/device/<token>} over HTTP/2 with an ES256 provider token. */
final class ApnsPush {
    /** The key cannot sign: a configuration problem, never cured by trying again. */
    private static final class UnusableKey extends RuntimeException {
        UnusableKey(Exception cause) {
            super(cause.getMessage(), cause);
        }
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);
    /** APNs' documented reasons are single words ("BadDeviceToken"). */
    private static final Pattern REASON = Pattern.compile("[A-Za-z]{1,40}");

    private final ProviderHttp http;
    private final ObjectMapper json;
    // Apple refuses provider tokens refreshed more often than every 20 minutes, and older than an hour.
    private final Cache<TokenCacheKey, String> providerTokens = Caffeine.newBuilder()
            .maximumSize(1_000)
            .expireAfterWrite(Duration.ofMinutes(40))
            .build();

    ApnsPush(ProviderHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    SendResult send(ProjectChannel channel, ApnsConfig c, Outgoing o, PushTargets.Device device, Deadline deadline) throws IOException {
        TokenCacheKey key = TokenCacheKey.of(channel, c.teamId(), c.keyId(), c.privateKey());
        String providerToken;
        try {
            providerToken = providerTokens.get(key, k -> sign(c));
        } catch (UnusableKey e) {
            return SendResult.reject("APNs key unusable: " + e.getMessage());
        }
        String apnsId = UUID.nameUUIDFromBytes((o.messageId() + "#" + device.deviceId()).getBytes(StandardCharsets.UTF_8)).toString();
        Request request = new Request.Builder()
                .url(c.providerUrl() + "/3/device/" + URLEncoder.encode(device.token(), StandardCharsets.UTF_8))
                .header("authorization", "bearer " + providerToken)
                .header("apns-topic", c.bundleId())
                .header("apns-push-type", "alert")
                .header("apns-priority", "10")
                .header("apns-id", apnsId)
                .header("apns-collapse-id", o.messageId())
                .post(RequestBody.create(json.writeValueAsBytes(body(o)), WebhookChannel.JSON_TYPE))
                .build();
        ProviderHttp.Answer answer = http.send(request, REQUEST_TIMEOUT, deadline);
        Optional<String> reason = answer.ok() ? Optional.empty() : answer.code(json, "/reason", REASON);
        if (!answer.ok()) {
            if (answer.status() == 410 || reason.filter(r -> r.equals("Unregistered") || r.equals("BadDeviceToken")).isPresent()) {
                return SendResult.reject("APNs: token " + reason.orElse("unregistered"), Map.of(PushChannel.TOKEN_DEAD, true));
            }
            if (reason.filter("ExpiredProviderToken"::equals).isPresent()) {
                providerTokens.invalidate(key);
                return SendResult.retry("APNs: ExpiredProviderToken");
            }
        }
        return SendResult.ofHttp(answer.status(), Peer.APNS, reason);
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
