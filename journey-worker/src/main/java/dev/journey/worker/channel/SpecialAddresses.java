package dev.journey.worker.channel;

import java.util.Arrays;
import java.util.Optional;

/**
 * The address ranges that are not the public internet, by kind. Worked out from the raw bytes
 * rather than {@code InetAddress.isLoopbackAddress()} and friends, which know nothing of
 * carrier-grade NAT, metadata addresses, or an IPv4 address wrapped in an IPv6 one (IPv4-compatible,
 * NAT64, 6to4) that a dual-stack host may still deliver to the IPv4 address inside.
 */
final class SpecialAddresses {
    static final String LOOPBACK = "loopback";

    private SpecialAddresses() {}

    /** The kind of a special address ("loopback", "private", …), or empty for a public one. */
    static Optional<String> kind(byte[] a) {
        return Optional.ofNullable(a.length == 4 ? ipv4(a) : ipv6(a));
    }

    private static String ipv4(byte[] a) {
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if (b0 == 0) {
            return "unspecified";
        }
        if (b0 == 127) {
            return LOOPBACK;
        }
        if (b0 == 10 || b0 == 172 && b1 >= 16 && b1 <= 31 || b0 == 192 && b1 == 168) {
            return "private";
        }
        if (b0 == 169 && b1 == 254) {
            return (a[2] & 0xff) == 169 && (a[3] & 0xff) == 254 ? "cloud metadata" : "link-local";
        }
        if (b0 == 100 && b1 >= 64 && b1 <= 127) {
            return "carrier-grade NAT";
        }
        if (b0 == 192 && b1 == 0 && a[2] == 0 || b0 == 198 && (b1 == 18 || b1 == 19)) {
            return "reserved";
        }
        if (b0 >= 224 && b0 <= 239) {
            return "multicast";
        }
        if (Arrays.equals(a, new byte[] {-1, -1, -1, -1})) {
            return "broadcast";
        }
        return b0 >= 240 ? "reserved" : null;
    }

    private static String ipv6(byte[] a) {
        if (zero(a, 0, 15) && (a[15] == 0 || a[15] == 1)) {
            return a[15] == 0 ? "unspecified" : LOOPBACK;
        }
        // IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d)
        if (zero(a, 0, 12) || zero(a, 0, 10) && a[10] == -1 && a[11] == -1) {
            return ipv4(Arrays.copyOfRange(a, 12, 16));
        }
        if (startsWith(a, 0x00, 0x64, 0xff, 0x9b) && zero(a, 4, 12)) {
            return ipv4(Arrays.copyOfRange(a, 12, 16));
        }
        if (startsWith(a, 0x20, 0x02)) {
            return ipv4(Arrays.copyOfRange(a, 2, 6));
        }
        // AWS's instance metadata over IPv6 (fd00:ec2::254) sits in the private range; named for what it is.
        if (startsWith(a, 0xfd, 0x00, 0x0e, 0xc2) && zero(a, 4, 14) && a[14] == 0x02 && a[15] == 0x54) {
            return "cloud metadata";
        }
        int b0 = a[0] & 0xff;
        int b1 = a[1] & 0xff;
        if ((b0 & 0xfe) == 0xfc) {
            return "private";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
            return "link-local";
        }
        if (b0 == 0xfe && (b1 & 0xc0) == 0xc0) {
            return "private";
        }
        if (b0 == 0xff) {
            return "multicast";
        }
        return startsWith(a, 0x01, 0x00) && zero(a, 2, 8) ? "reserved" : null;
    }

    private static boolean zero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] a, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((a[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
