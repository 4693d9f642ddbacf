package dev.journey.worker.dsl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A stable bucket 0…99 for a key: the same on every JVM, on every replay, for ever — what a split's
 * arm and a project's hold-out group are drawn by, so no randomness enters workflow code and a user
 * never moves between groups.
 */
public final class Buckets {
    private Buckets() {}

    /** 0..99 from the first 8 bytes of SHA-256, read unsigned: uniform. */
    public static int of(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = (value << 8) | (hash[i] & 0xff);
            }
            return (int) Long.remainderUnsigned(value, 100);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
