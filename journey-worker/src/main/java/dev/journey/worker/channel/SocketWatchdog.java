package dev.journey.worker.channel;

import java.io.IOException;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import javax.net.SocketFactory;

/**
 * Holds a conversation over plain sockets to a deadline by closing its sockets when the deadline
 * passes: a read or write blocked on one then fails at once. Needed for SMTP, whose client library
 * applies its timeouts to each connect, read and write on its own (a server that answers a little
 * at a time is never cut), and whose transport cannot be closed from another thread while it
 * sends (its methods hold the transport's lock). The client gets its sockets from {@link #sockets()},
 * which also connect only where the {@link OutboundPolicy} allows: the address checked is the very
 * address connected to.
 */
final class SocketWatchdog implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor ALARMS = alarms();

    private final List<Socket> opened = new CopyOnWriteArrayList<>();
    private final OutboundPolicy policy;
    private final ScheduledFuture<?> alarm;
    private volatile boolean fired;

    private SocketWatchdog(Deadline deadline, OutboundPolicy policy) {
        this.policy = policy;
        alarm = ALARMS.schedule(this::fire, deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    }

    static SocketWatchdog until(Deadline deadline, OutboundPolicy policy) {
        return new SocketWatchdog(deadline, policy);
    }

    /** Whether the deadline passed and the sockets were closed under the conversation. */
    boolean fired() {
        return fired;
    }

    /** Unconnected sockets (what Jakarta Mail asks a socket factory for), watched by this watchdog and held to the policy. */
    SocketFactory sockets() {
        // Every other way to make a socket goes through createSocket(), so each is watched.
        return new CheckedSockets(policy) {
            @Override
            public Socket createSocket() {
                return watch(super.createSocket());
            }
        };
    }

    /** The conversation ended: the alarm is not needed any more. */
    @Override
    public void close() {
        alarm.cancel(false);
    }

    private Socket watch(Socket s) {
        opened.add(s);
        // A socket made after the alarm went off is closed at once, like the others.
        if (fired) {
            closeQuietly(s);
        }
        return s;
    }

    private void fire() {
        fired = true;
        opened.forEach(SocketWatchdog::closeQuietly);
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing is all we wanted; a socket that will not close has no conversation left to hold
        }
    }

    private static ScheduledThreadPoolExecutor alarms() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "send-deadline-watchdog");
            t.setDaemon(true);
            return t;
        });
        // Most conversations end well before their alarm: cancelled alarms must not pile up in the queue.
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }
}
