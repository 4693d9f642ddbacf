package dev.journey.worker.channel;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.Call;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okio.Buffer;
import okio.BufferedSource;

/**
 * Every HTTP request to a provider (webhooks, Twilio, FCM and its token endpoint, APNs), and a
 * journey's fetch step's ({@link FetchHttp}), goes through here, so these rules hold for all of them:
 * <ul>
 * <li>It connects only to addresses the {@link OutboundPolicy} checked: the policy is the client's
 * resolver, so the addresses it returns are the ones connected to (no second lookup that a host
 * could answer differently), its sockets check the address they connect to, and no proxy stands
 * between.
 * <li>Redirects are not followed: a 3xx is the answer, and its Location, which could point
 * anywhere, is never visited.
 * <li>The exchange ends by the attempt's deadline, body included: a peer that sends its headers
 * and then trickles a body is cut by the deadline.
 * <li>At most {@link #MAX_ANSWER_BYTES} of an answer are read: an answer is only looked at for an
 * id or an error code, and a peer must not be able to make a worker buffer an unbounded body.
 * </ul>
 * HTTP/2 is negotiated over TLS where the peer offers it (APNs requires it).
 */
final class ProviderHttp {
    /** Enough for every provider answer we read (ids, error JSON). */
    static final int MAX_ANSWER_BYTES = 64 * 1024;

    /** What a provider answered: the status, and the start of the body to read an id or an error code from (never stored whole). */
    record Answer(int status, String body) {
        boolean ok() {
            return status >= 200 && status < 300;
        }

        /** The text at {@code pointer} of a JSON body if it has the {@code shape} of a documented code, so it can be shown. */
        Optional<String> code(ObjectMapper json, String pointer, Pattern shape) {
            try {
                JsonNode v = json.readTree(body).at(pointer);
                return v.isValueNode() && shape.matcher(v.asText()).matches() ? Optional.of(v.asText()) : Optional.empty();
            } catch (IOException | RuntimeException notJson) {
                return Optional.empty();
            }
        }
    }

    /** The exchange did not end within its time; the message is ours ("timed out after 10 s"), safe to store. */
    static final class TimedOut extends InterruptedIOException {
        TimedOut(Duration limit, Deadline deadline) {
            super("timed out after " + seconds(limit) + (limit.compareTo(deadline.budget()) < 0 && deadline.passed()
                    ? " (" + deadline.describe() + " ran out)" : ""));
        }
    }

    private final OkHttpClient client;

    ProviderHttp(OutboundPolicy policy) {
        client = new OkHttpClient.Builder()
                .dns(policy::resolve)
                // Literal addresses skip the Dns above: the sockets check whatever they connect to.
                .socketFactory(new CheckedSockets(policy))
                .proxy(Proxy.NO_PROXY)
                .followRedirects(false)
                .followSslRedirects(false)
                .connectTimeout(Duration.ofSeconds(5))
                // The call's timeout, set per request, bounds everything; these would only cut it at other points.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .build();
    }

    /**
     * Sends the request, taking at most {@code timeout} or what is left of {@code deadline},
     * whichever is shorter, from resolving the host to the last byte read.
     *
     * @throws OutboundPolicy.Refused when the host resolves to an address the policy refuses
     * @throws TimedOut when that time ran out (the exchange is abandoned)
     * @throws IOException when the request could not be made or the answer not read
     */
    Answer send(Request request, Duration timeout, Deadline deadline) throws IOException {
        return send(request, timeout, deadline, MAX_ANSWER_BYTES);
    }

    /** {@link #send(Request, Duration, Deadline)} reading at most {@code maxAnswerBytes} of the answer. */
    Answer send(Request request, Duration timeout, Deadline deadline, int maxAnswerBytes) throws IOException {
        Duration limit = deadline.cap(timeout);
        if (limit.isZero()) {
            throw new TimedOut(limit, deadline);
        }
        Call call = client.newCall(request);
        call.timeout().timeout(limit.toNanos(), TimeUnit.NANOSECONDS);
        try (Response response = call.execute()) {
            return new Answer(response.code(), readAtMost(call, response.body().source(), maxAnswerBytes));
        } catch (OutboundPolicy.Refused refused) {
            throw refused;
        } catch (IOException e) {
            if (e instanceof InterruptedIOException || call.isCanceled()) {
                TimedOut timedOut = new TimedOut(limit, deadline);
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        }
    }

    /** The first {@code max} bytes of the body; the rest is not read: the call is cancelled, which closes its connection. */
    private static String readAtMost(Call call, BufferedSource source, int max) throws IOException {
        Buffer kept = new Buffer();
        while (kept.size() < max) {
            if (source.read(kept, max - kept.size()) == -1) {
                return kept.readUtf8();
            }
        }
        // Closing a body not read to its end would first try to drain it; cancelling hangs up at once.
        call.cancel();
        return kept.readUtf8();
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
