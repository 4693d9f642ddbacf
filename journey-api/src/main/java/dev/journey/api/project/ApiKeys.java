package dev.journey.api.project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Issues and checks API keys. A key is random (256 bits) and kept only as its SHA-256: the first
 * 16 hex digits of the hash find the row, the whole hash is compared in constant time. Known keys
 * are cached (Caffeine: bounded, each re-read from the database after ten minutes) so the track path
 * does not query the database per request.
 */
@ApplicationScoped
public class ApiKeys {
    private static final SecureRandom RANDOM = new SecureRandom();

    private record Known(String projectId, byte[] hash) {}

    private final Cache<String, Known> verified = Caffeine.newBuilder()
            .maximumSize(10_000)
            .expireAfterWrite(Duration.ofMinutes(10))
            .build();

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    @Transactional
    public String issue(String projectId) {
        String key = newSecret("jk_");
        register(projectId, key);
        return key;
    }

    /** Stores a key chosen elsewhere (the demo key from the environment); does nothing if it is known. */
    @Transactional
    public void register(String projectId, String key) {
        byte[] hash = sha256(key);
        String lookup = lookup(hash);
        if (ApiKey.findById(lookup) != null) {
            return;
        }
        ApiKey row = new ApiKey();
        row.lookup = lookup;
        row.projectId = projectId;
        row.keyHash = hash;
        row.persist();
    }

    /** The project a key belongs to, or empty when the key is unknown. */
    public Optional<String> projectOf(String key) {
        byte[] hash = sha256(key);
        String lookup = lookup(hash);
        Known known = verified.getIfPresent(lookup);
        if (known == null) {
            ApiKey row = ApiKey.findById(lookup);
            if (row == null) {
                return Optional.empty();
            }
            known = new Known(row.projectId, row.keyHash);
            verified.put(lookup, known);
        }
        return MessageDigest.isEqual(known.hash(), hash) ? Optional.of(known.projectId()) : Optional.empty();
    }

    public static boolean sameSecret(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String lookup(byte[] hash) {
        return HexFormat.of().formatHex(hash, 0, 8);
    }
}
