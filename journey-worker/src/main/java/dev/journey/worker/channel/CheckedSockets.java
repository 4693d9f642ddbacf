package dev.journey.worker.channel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;

import javax.net.SocketFactory;

/**
 * Sockets that connect only where the {@link OutboundPolicy} allows, checking the very address
 * they connect to: the last point before a connection exists, whatever resolved the host before
 * (the JDK for SMTP; OkHttp for HTTP, which resolves a literal address without asking its
 * {@code Dns}). Every provider connection is made by one of these.
 */
class CheckedSockets extends SocketFactory {
    private final OutboundPolicy policy;

    CheckedSockets(OutboundPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Socket createSocket() {
        return new CheckedSocket(policy);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    /** A socket connected to {@code to}, bound first to {@code local} when one is given. */
    private Socket connected(InetSocketAddress to, InetSocketAddress local) throws IOException {
        Socket s = createSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(to);
        return s;
    }

    /** Checks the address it is asked to connect to, then connects to exactly that address. */
    private static final class CheckedSocket extends Socket {
        private final OutboundPolicy policy;

        CheckedSocket(OutboundPolicy policy) {
            this.policy = policy;
        }

        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
            if (!(endpoint instanceof InetSocketAddress to)) {
                throw new IOException("not an internet address");
            }
            InetSocketAddress checked = to;
            if (to.isUnresolved()) {
                checked = new InetSocketAddress(policy.resolve(to.getHostString()).get(0), to.getPort());
            } else {
                // getHostString: the name it was resolved from (for names on the allow-list), never a reverse lookup.
                policy.check(to.getHostString(), to.getAddress());
            }
            super.connect(checked, timeout);
        }
    }
}
