package dev.journey.worker.channel;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which addresses the engine may send to. Channel destinations are written by API users, so
 * without this a webhook could reach the engine's own PostgreSQL, a cloud metadata service or
 * any host of the private network the engine runs in. Refused unless allowed: loopback,
 * unspecified, private, link-local (which holds 169.254.169.254), carrier-grade NAT, multicast,
 * broadcast and reserved ranges, metadata addresses, and IPv6 forms that embed any of those.
 *
 * <p>The check is made twice: when a channel is saved ({@link #problems}), and when a request
 * connects ({@link #resolve}), which returns the only addresses the caller may connect to —
 * checking one answer of the resolver and then connecting to another would leave a host free to
 * answer differently the second time (DNS rebinding).
 */
public final class OutboundPolicy {
    /** The setting that lets a destination through. */
    public static final String ALLOW_KEY = "journey.outbound.allow";
    public static final String ALLOW_LOOPBACK_KEY = "journey.outbound.allow-loopback";

    /** Turns a host name into its addresses: the system resolver, or a scripted one in tests. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A destination this policy refuses. An {@link UnknownHostException} because that is what a
     * resolver may throw where it is plugged in (OkHttp's {@code Dns}), and it must pass through
     * unchanged to whoever reports the refusal.
     */
    public static final class Refused extends UnknownHostException {
        private final String host;
        private final String address;
        private final String kind;

        Refused(String host, InetAddress address, String kind) {
            super(host + " resolves to " + address.getHostAddress() + " (" + kind + ")");
            this.host = host;
            this.address = address.getHostAddress();
            this.kind = kind;
        }

        /** "resolves to 127.0.0.1 (loopback)": what a failed message says after the name of the peer. */
        public String reason() {
            return "resolves to " + address + " (" + kind + ")";
        }

        String problem() {
            return (isLiteral(host) ? "points to " + host : "points to " + host + ", which resolves to " + address) + ", "
                    + article(kind) + " " + kind + " address; outbound requests to loopback, private, link-local and"
                    + " metadata addresses are refused (allow it with " + ALLOW_KEY + ")";
        }
    }

    private final boolean allowLoopback;
    private final List<Cidr> allowedRanges;
    private final List<String> allowedHosts;
    private final boolean embeddedDefault;
    private final Resolver resolver;

    private OutboundPolicy(boolean allowLoopback, List<Cidr> allowedRanges, List<String> allowedHosts, boolean embeddedDefault,
                           Resolver resolver) {
        this.allowLoopback = allowLoopback;
        this.allowedRanges = allowedRanges;
        this.allowedHosts = allowedHosts;
        this.embeddedDefault = embeddedDefault;
        this.resolver = resolver;
    }

    /**
     * The policy of these settings.
     *
     * @param allow           CIDRs and host names that are let through whatever their address
     * @param allowLoopback   the setting, when given
     * @param embeddedDefault whether this is the embedded single-process run, where an unset
     *                        {@code allowLoopback} means allowed (a first webhook on localhost works)
     * @throws IllegalArgumentException naming an entry of {@code allow} that is neither a CIDR nor a host name
     */
    public static OutboundPolicy of(List<String> allow, Optional<Boolean> allowLoopback, boolean embeddedDefault) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> hosts = new ArrayList<>();
        for (String entry : allow) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (e.contains("/") || Character.digit(e.charAt(0), 16) >= 0 && (e.contains(":") || e.matches("[0-9.]+"))) {
                ranges.add(Cidr.parse(e));
            } else if (e.matches("[a-z0-9_]([a-z0-9_.-]*[a-z0-9_])?")) {
                hosts.add(e);
            } else {
                throw new IllegalArgumentException(ALLOW_KEY + ": \"" + entry + "\" is neither a CIDR (10.1.2.0/24) nor a host name");
            }
        }
        boolean loopback = allowLoopback.orElse(embeddedDefault);
        return new OutboundPolicy(loopback, List.copyOf(ranges), List.copyOf(hosts), embeddedDefault && allowLoopback.isEmpty(),
                InetAddress::getAllByName);
    }

    /** Loopback refused, nothing allowed: what a worker runs with when nothing is set. */
    public static OutboundPolicy strict() {
        return of(List.of(), Optional.of(false), false);
    }

    /** Loopback allowed, the rest refused: for tests whose fake providers listen on 127.0.0.1. */
    public static OutboundPolicy allowingLoopback() {
        return of(List.of(), Optional.of(true), false);
    }

    /** The same policy over another resolver: tests script what a host resolves to. */
    public OutboundPolicy withResolver(Resolver other) {
        return new OutboundPolicy(allowLoopback, allowedRanges, allowedHosts, embeddedDefault, other);
    }

    /** One line for the start-up banner. */
    public String describe() {
        String loopback = allowLoopback ? "loopback allowed" + (embeddedDefault ? " (embedded default)" : "") : "loopback refused";
        List<String> allowed = new ArrayList<>(allowedRanges.stream().map(Cidr::toString).toList());
        allowed.addAll(allowedHosts);
        return loopback + "; private, link-local and metadata addresses refused"
                + (allowed.isEmpty() ? "" : " except " + String.join(", ", allowed));
    }

    /**
     * The addresses of {@code host} a request may connect to: all of them, once every one was
     * checked. A host with any refused address is refused whole, since which of its addresses a
     * connection would use is not ours to choose.
     *
     * @throws Refused when an address is refused
     * @throws UnknownHostException when the host does not resolve
     */
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // A literal address is read, not looked up (getByName looks nothing up for one).
        InetAddress[] addresses = isLiteral(name) ? new InetAddress[] {InetAddress.getByName(name)} : resolver.resolve(name);
        for (InetAddress address : addresses) {
            check(name, address);
        }
        return List.of(addresses);
    }

    /**
     * Checks one address that {@code host} resolved to.
     *
     * @throws Refused when it is refused
     */
    public void check(String host, InetAddress address) throws Refused {
        if (host != null && allowedHosts.contains(host.toLowerCase(Locale.ROOT))) {
            return;
        }
        for (Cidr range : allowedRanges) {
            if (range.contains(address)) {
                return;
            }
        }
        Optional<String> kind = SpecialAddresses.kind(address.getAddress());
        if (kind.isPresent() && !(allowLoopback && kind.get().equals(SpecialAddresses.LOOPBACK))) {
            throw new Refused(host == null ? address.getHostAddress() : host, address, kind.get());
        }
    }

    /**
     * What is refused among the destinations of a channel about to be saved, each named with its
     * field. A host name that does not resolve here is accepted (its DNS may exist only where the
     * engine runs in production); the send checks it again.
     */
    public List<ConfigProblem> problems(ChannelConfig config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config instanceof WebhookConfig w) {
            checkUrl("url", w.url(), problems);
        } else if (config instanceof SmsConfig s) {
            checkUrl("baseUrl", s.baseUrl(), problems);
        } else if (config instanceof ApnsConfig a) {
            checkUrl("baseUrl", a.baseUrl(), problems);
        } else if (config instanceof FcmConfig f) {
            checkUrl("baseUrl", f.baseUrl(), problems);
            JsonNode tokenUri = f.serviceAccount() == null ? null : f.serviceAccount().get("token_uri");
            if (tokenUri != null && tokenUri.isTextual()) {
                checkUrl("serviceAccount.token_uri", tokenUri.asText(), problems);
            }
        } else if (config instanceof EmailConfig e) {
            checkHost("host", e.host(), problems);
        }
        return problems;
    }

    /**
     * What is refused about a URL a journey step will request (a fetch step's literal host), or
     * empty: the same check as a channel's URL on save. A host that does not resolve here is
     * accepted; the request checks it again.
     */
    public Optional<String> problem(String url) {
        List<ConfigProblem> problems = new ArrayList<>();
        checkUrl("url", url, problems);
        return problems.stream().map(ConfigProblem::message).findFirst();
    }

    private void checkUrl(String field, String url, List<ConfigProblem> problems) {
        if (url == null) {
            return;
        }
        try {
            checkHost(field, URI.create(url).getHost(), problems);
        } catch (IllegalArgumentException e) {
            problems.add(new ConfigProblem(field, "must be an absolute http or https URL"));
        }
    }

    private void checkHost(String field, String host, List<ConfigProblem> problems) {
        if (host == null) {
            return;
        }
        try {
            resolve(host);
        } catch (Refused r) {
            problems.add(new ConfigProblem(field, r.problem()));
        } catch (UnknownHostException notHere) {
            // accepted now, checked again at every send
        }
    }

    /** An IPv4 or IPv6 address as written, not a name to look up. */
    private static boolean isLiteral(String host) {
        return host.contains(":") || host.matches("[0-9.]+");
    }

    private static String article(String word) {
        return "aeiou".indexOf(word.charAt(0)) >= 0 ? "an" : "a";
    }

    /** An address range written as CIDR, "10.1.2.0/24" or "fd00::/8"; a bare address is a range of one. */
    record Cidr(byte[] network, int prefix, String text) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String address = slash < 0 ? text : text.substring(0, slash);
            if (!address.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException(ALLOW_KEY + ": \"" + text + "\" is not a CIDR");
            }
            byte[] network;
            try {
                // A literal only: getByName does not look a literal up in DNS.
                network = InetAddress.getByName(address).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(ALLOW_KEY + ": \"" + text + "\" is not a CIDR", e);
            }
            int prefix;
            try {
                prefix = slash < 0 ? network.length * 8 : Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException(ALLOW_KEY + ": \"" + text + "\" has no valid prefix length");
            }
            return new Cidr(network, prefix, text);
        }

        boolean contains(InetAddress address) {
            byte[] a = address.getAddress();
            if (a.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((a[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefix == prefix && Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(network) + prefix;
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
