package dev.journey.worker.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
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
 * sends (its methods hold the transport's lock). The client gets its sockets from {@link #sockets()}.
 */
final class SocketWatchdog implements AutoCloseable {
    private static final ScheduledThreadPoolExecutor ALARMS = alarms();

    private final List<Socket> opened = new CopyOnWriteArrayList<>();
    private final ScheduledFuture<?> alarm;
    private volatile boolean fired;

    private SocketWatchdog(Deadline deadline) {
        alarm = ALARMS.schedule(this::fire, deadline.remaining().toNanos(), TimeUnit.NANOSECONDS);
    }

    static SocketWatchdog until(Deadline deadline) {
        return new SocketWatchdog(deadline);
    }

    /** Whether the deadline passed and the sockets were closed under the conversation. */
    boolean fired() {
        return fired;
    }

    /** Unconnected sockets (what Jakarta Mail asks a socket factory for), watched by this watchdog. */
    SocketFactory sockets() {
        return new SocketFactory() {
            @Override
            public Socket createSocket() {
                return watch(new Socket());
            }

            @Override
            public Socket createSocket(String host, int port) throws IOException {
                return connected(new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
                return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
            }

            @Override
            public Socket createSocket(InetAddress host, int port) throws IOException {
                return connected(new InetSocketAddress(host, port));
            }

            @Override
            public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
                return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
            }

            private Socket connected(InetSocketAddress to) throws IOException {
                return connected(to, null);
            }

            /** A watched socket connected to {@code to}, bound first to {@code local} when one is given. */
            private Socket connected(InetSocketAddress to, InetSocketAddress local) throws IOException {
                Socket s = createSocket();
                if (local != null) {
                    s.bind(local);
                }
                s.connect(to);
                return s;
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
