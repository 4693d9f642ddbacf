package dev.journey.worker.channel;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import javax.net.ssl.SSLException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed connection to a provider becomes in the message log: a fixed phrase per kind of
 * failure. Never the exception's own text, which may quote the peer (a status line, a greeting, a
 * certificate's names) and would turn the log into a port scanner's report; the log of the
 * worker keeps the whole exception.
 */
final class ConnectionFailures {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionFailures.class);

    private ConnectionFailures() {}

    /**
     * A refused destination fails the message (it will be refused again); anything else may pass
     * on a later attempt.
     */
    static SendResult of(Peer peer, Throwable failure) {
        LOG.info("{} could not be reached: {}", peer.label, chain(failure));
        LOG.debug("{} could not be reached", peer.label, failure);
        OutboundPolicy.Refused refused = find(failure, OutboundPolicy.Refused.class);
        if (refused != null) {
            return SendResult.reject("refused: " + peer.label + " host " + refused.reason());
        }
        return SendResult.retry(peer.label + ": " + phrase(failure));
    }

    /** The fixed phrase for the first cause in the chain that has one. */
    static String phrase(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (t instanceof ProviderHttp.TimedOut) {
                return t.getMessage();
            }
            if (t instanceof SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof ConnectException) {
                return "connection refused";
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof UnknownHostException) {
                return "host not found";
            }
            if (t instanceof SSLException) {
                return "TLS handshake failed";
            }
        }
        return "connection failed (" + failure.getClass().getSimpleName() + ")";
    }

    /** Every exception of the chain with its own text, for the worker's log (never for the message log). */
    static String chain(Throwable failure) {
        StringBuilder all = new StringBuilder(failure.toString());
        Throwable t = failure.getCause();
        // A chain may loop back on itself: ten links say enough.
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            all.append(" <- ").append(t);
        }
        return all.toString();
    }

    static <T extends Throwable> T find(Throwable failure, Class<T> kind) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 10; depth++, t = t.getCause()) {
            if (kind.isInstance(t)) {
                return kind.cast(t);
            }
        }
        return null;
    }
}
