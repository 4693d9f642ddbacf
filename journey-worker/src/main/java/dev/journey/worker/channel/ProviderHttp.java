package dev.journey.worker.channel;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every HTTP request to a provider (webhooks, Twilio, FCM and its token endpoint, APNs) goes
 * through here, so two rules hold for all of them. The exchange ends by the attempt's deadline:
 * {@link HttpRequest#timeout} only covers waiting for the response headers, so a peer that sends
 * its headers and then trickles a body is cut by the deadline, not by that timeout. And at most
 * {@link #MAX_ANSWER_BYTES} of an answer are read: what a provider answers is only looked at for a
 * status detail, an id or an error code, and a peer must not be able to make a worker buffer an
 * unbounded body. The status code alone decides success.
 */
final class ProviderHttp {
    /** Enough for every provider answer we read (ids, error JSON); the log keeps 500 characters of it. */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    private ProviderHttp() {}

    /**
     * Sends the request, waiting at most {@code timeout} or what is left of {@code deadline},
     * whichever is shorter; the answer's body holds at most {@link #MAX_ANSWER_BYTES} (as UTF-8).
     *
     * @throws HttpTimeoutException when that time ran out (the exchange is abandoned)
     * @throws IOException when the request could not be made or the answer not read
     */
    static HttpResponse<String> send(HttpClient http, HttpRequest.Builder request, Duration timeout, Deadline deadline)
            throws IOException, InterruptedException {
        Duration limit = deadline.cap(timeout);
        if (limit.isZero()) {
            throw new HttpTimeoutException("no time left: " + deadline.describe() + " are spent");
        }
        CompletableFuture<HttpResponse<String>> answer = http.sendAsync(request.timeout(limit).build(), atMost(MAX_ANSWER_BYTES));
        try {
            return answer.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // Cancelling the future aborts the exchange and closes its connection.
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer within " + limit.toMillis() + " ms (" + deadline.describe() + ")");
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        }
    }

    /** A body handler that keeps the first {@code limit} bytes and then stops reading (the connection is closed). */
    static HttpResponse.BodyHandler<String> atMost(int limit) {
        return info -> new Capped(limit);
    }

    private static IOException unwrap(Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof IOException io) {
            return io;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        return new IOException(t);
    }

    /** Collects up to {@code limit} bytes, then cancels its subscription. */
    private static final class Capped implements HttpResponse.BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int n = Math.min(b.remaining(), limit - kept.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                kept.writeBytes(chunk);
            }
            if (kept.size() >= limit) {
                subscription.cancel();
                finish();
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            finish();
        }

        private void finish() {
            body.complete(kept.toString(StandardCharsets.UTF_8));
        }
    }
}
