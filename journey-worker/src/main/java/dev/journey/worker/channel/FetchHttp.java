package dev.journey.worker.channel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A journey's fetch step's request, made like every provider request ({@link ProviderHttp}): only
 * to addresses the {@link OutboundPolicy} allows, redirects not followed, the whole exchange
 * within the attempt's time, the answer read only up to a bound. What it ends with is said in our
 * own words (status, a fixed phrase per kind of failure), never in the peer's.
 */
public final class FetchHttp {
    static final MediaType JSON_TYPE = MediaType.get("application/json");

    /**
     * How one attempt ended: {@code body} the answer of a 2xx (null otherwise), or {@code error};
     * {@code retryable} for what may pass later (5xx, 408, 429, timeouts, no connection);
     * {@code tooLarge} when the answer was longer than allowed (only its start was read).
     */
    public record Result(int status, String body, String error, boolean retryable, boolean tooLarge) {
        public boolean ok() {
            return error == null;
        }
    }

    private final ProviderHttp http;

    public FetchHttp(OutboundPolicy outbound) {
        this.http = new ProviderHttp(outbound);
    }

    /**
     * Sends {@code method} to {@code url} with {@code headers} (and {@code body}, POST only, as JSON
     * unless a Content-Type header says otherwise), taking at most {@code timeout}.
     *
     * @param maxAnswerBytes an answer longer than this is a failure (not retried: it will be as long again)
     */
    public Result send(String method, String url, Map<String, String> headers, String body, String idempotencyKey,
                       Duration timeout, int maxAnswerBytes) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            return new Result(0, null, "the rendered URL is not an absolute http or https URL", false, false);
        }
        Request request;
        try {
            Headers.Builder all = new Headers.Builder();
            headers.forEach(all::set);
            all.set(WebhookChannel.IDEMPOTENCY_HEADER, idempotencyKey);
            Request.Builder builder = new Request.Builder().url(parsed).headers(all.build());
            if ("POST".equals(method)) {
                String type = all.get("Content-Type");
                builder.post(RequestBody.create((body == null ? "" : body).getBytes(StandardCharsets.UTF_8),
                        type == null ? JSON_TYPE : MediaType.parse(type)));
            } else {
                builder.get();
            }
            request = builder.build();
        } catch (IllegalArgumentException e) {
            // OkHttp refuses control characters in a header value (a rendered value may hold a newline).
            return new Result(0, null, "a rendered header is not a valid HTTP header", false, false);
        }
        ProviderHttp.Answer answer;
        try {
            // The request's own timeout bounds the exchange; the deadline only has to outlast it (a deadline
            // started a moment before would cut the timeout to 999 ms and say so).
            answer = http.send(request, timeout, Deadline.after(timeout.plusSeconds(1)), maxAnswerBytes + 1);
        } catch (IOException e) {
            SendResult failed = ConnectionFailures.of(Peer.FETCH, e);
            return new Result(0, null, failed.error(), failed.retryable(), false);
        }
        if (!answer.ok()) {
            SendResult failed = SendResult.ofHttp(answer.status(), Peer.FETCH, java.util.Optional.empty());
            return new Result(answer.status(), null, failed.error(), failed.retryable(), false);
        }
        if (answer.body().getBytes(StandardCharsets.UTF_8).length > maxAnswerBytes) {
            return new Result(answer.status(), null, "the answer is larger than " + maxAnswerBytes / 1024 + " KiB", false, true);
        }
        return new Result(answer.status(), answer.body(), null, false, false);
    }
}
