package dev.journey.worker.channel;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * POSTs a message as JSON to the project's webhook URL, signed with the channel secret
 * ({@code X-Journey-Signature: sha256=<hex HMAC-SHA256 of the raw body>}) and carrying the
 * message id as {@code Idempotency-Key} on every attempt.
 */
public class WebhookChannel implements Channel {
    public static final String SIGNATURE_HEADER = "X-Journey-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json;

    public WebhookChannel(ObjectMapper json) {
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
        HttpRequest.Builder request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/json")
                    .header(IDEMPOTENCY_HEADER, idempotencyKey)
                    .header(SIGNATURE_HEADER, "sha256=" + sign(secret, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        } catch (IllegalArgumentException e) {
            return SendResult.reject("invalid webhook URL: " + e.getMessage());
        }
        try {
            HttpResponse<String> response = ProviderHttp.send(http, request, timeout, deadline);
            return SendResult.ofHttp(response.statusCode(), response.body());
        } catch (IOException e) {
            return SendResult.retry(e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return SendResult.retry("interrupted");
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
