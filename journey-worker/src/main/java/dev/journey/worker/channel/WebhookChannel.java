package dev.journey.worker.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * POSTs a message as JSON to the project's webhook URL, signed with the channel secret
 * ({@code X-Journey-Signature: sha256=<hex HMAC-SHA256 of the raw body>}) and carrying the
 * message id as {@code Idempotency-Key} on every attempt.
 */
public class WebhookChannel implements Channel {
    public static final String SIGNATURE_HEADER = "X-Journey-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    static final MediaType JSON_TYPE = MediaType.get("application/json");

    private final ProviderHttp http;
    private final ObjectMapper json;

    WebhookChannel(ProviderHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    @Override
    public ChannelType type() {
        return ChannelType.WEBHOOK;
    }

    /**
     * The whole message as the body; a receiver slower than the channel's timeout (or than what is
     * left of the attempt's deadline) is tried again later, with the same key.
     */
    @Override
    public SendResult send(Outgoing message, List<ProjectChannel> configured, Deadline deadline) {
        WebhookConfig config = (WebhookConfig) configured.get(0).config();
        try {
            return post(config.url(), config.secret(), message.messageId(), json.writeValueAsString(message.document()),
                    config.attemptTimeout(), deadline);
        } catch (JsonProcessingException e) {
            return SendResult.reject("the message could not be written as JSON: " + e.getOriginalMessage());
        }
    }

    SendResult post(String url, String secret, String idempotencyKey, String body, Duration timeout, Deadline deadline) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        Request request;
        try {
            request = new Request.Builder().url(url)
                    .header(IDEMPOTENCY_HEADER, idempotencyKey)
                    .header(SIGNATURE_HEADER, "sha256=" + sign(secret, bytes))
                    .post(RequestBody.create(bytes, JSON_TYPE))
                    .build();
        } catch (IllegalArgumentException e) {
            return SendResult.reject("invalid webhook URL");
        }
        try {
            // Whatever a receiver writes back stays out of the log: the status says it all.
            return SendResult.ofHttp(http.send(request, timeout, deadline).status(), Peer.WEBHOOK, Optional.empty());
        } catch (IOException e) {
            return ConnectionFailures.of(Peer.WEBHOOK, e);
        }
    }

    public static String sign(String secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
