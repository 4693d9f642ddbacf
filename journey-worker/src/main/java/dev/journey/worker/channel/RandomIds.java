package dev.journey.worker.channel;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Channel ids and generated webhook secrets: a prefix and hex from a strong random source. */
final class RandomIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private RandomIds() {}

    static String hex(String prefix, int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return prefix + HexFormat.of().formatHex(b);
    }
}
