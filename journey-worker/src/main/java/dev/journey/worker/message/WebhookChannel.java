package dev.journey.worker.message;

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

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * POSTs a message as JSON to the project's webhook URL, signed with the channel secret
 * ({@code X-Journey-Signature: sha256=<hex HMAC-SHA256 of the raw body>}) and carrying the
 * message id as {@code Idempotency-Key} on every attempt.
 */
public class WebhookChannel {
    public static final String SIGNATURE_HEADER = "X-Journey-Signature";
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /** What the receiver answered; {@code retryable} for 5xx, 429, timeouts and connection errors. */
    public record Result(boolean delivered, boolean retryable, String error) {}

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Duration timeout;

    public WebhookChannel(Duration timeout) {
        this.timeout = timeout;
    }

    public Result post(String url, String secret, String idempotencyKey, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header(IDEMPOTENCY_HEADER, idempotencyKey)
                    .header(SIGNATURE_HEADER, "sha256=" + sign(secret, bytes))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                    .build();
        } catch (IllegalArgumentException e) {
            return new Result(false, false, "invalid webhook URL: " + e.getMessage());
        }
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return new Result(true, false, null);
            }
            String error = "HTTP " + status + ": " + abbreviate(response.body());
            return new Result(false, status >= 500 || status == 429 || status == 408, error);
        } catch (IOException e) {
            return new Result(false, true, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(false, true, "interrupted");
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

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() > 500 ? s.substring(0, 500) + "…" : s;
    }
}
