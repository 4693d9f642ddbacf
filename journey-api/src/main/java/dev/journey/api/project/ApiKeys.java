package dev.journey.api.project;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.journey.api.access.KeyScope;
import dev.journey.api.runtime.AfterCommit;
import dev.journey.worker.db.Sql;
import io.agroal.api.AgroalDataSource;
import dev.journey.api.error.ApiException;

/**
 * Issues, checks, lists, rotates and revokes API keys. A key is random (256 bits) and kept only as its
 * SHA-256: the first 16 hex digits of the hash find the row, the whole hash is compared in constant time.
 * Verified keys are cached for {@code journey.keys.cache-ttl} (1 s) so the track path does not query the
 * database per request; a revocation also drops its entry as it commits, so this process refuses the key
 * at once and any other API process within that second.
 */
@ApplicationScoped
public class ApiKeys {
    /** How many characters of a key are kept to recognise it by: its scope's prefix and a few more. */
    static final int SHOWN_PREFIX = 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** The longest grace period of a rotation: long enough to redeploy, short enough that a leaked key dies. */
    static final Duration MAX_GRACE = Duration.ofDays(7);

    /** A key that was presented and matched an active row. */
    public record Verified(String projectId, String keyId, String lookup, KeyScope scope) {}

    /** A key just made: the row and the key itself, shown this once. */
    public record Issued(ApiKey row, String key) {}

    /** A rotation: the new key, and when the old one stops working. */
    public record Rotated(Issued issued, Instant oldRevokedAt) {}

    private record Known(String projectId, String keyId, byte[] hash, KeyScope scope, Instant revokedAt) {}

    private final Cache<String, Known> verified;

    @Inject
    KeyUsage usage;
    @Inject
    TransactionSynchronizationRegistry transactions;

    private final Sql sql;

    public ApiKeys(@ConfigProperty(name = "journey.keys.cache-ttl", defaultValue = "1s") Duration cacheTtl, AgroalDataSource db) {
        this.sql = new Sql(db);
        this.verified = Caffeine.newBuilder().maximumSize(10_000).expireAfterWrite(cacheTtl).build();
    }

    public static String newSecret(String prefix) {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return prefix + HexFormat.of().formatHex(bytes);
    }

    /** The project's first key, made with it. */
    @Transactional
    public String issue(String projectId) {
        return issue(projectId, "default", KeyScope.SECRET).key();
    }

    /** A new key, within the project's quota of active keys. */
    @Transactional
    public Issued issue(String projectId, String name, KeyScope scope) {
        ProjectQuota.API_KEYS.check(ApiKey.count("projectId = ?1 and (revokedAt is null or revokedAt > ?2)", projectId, Instant.now()));
        String key = newSecret(scope.prefix());
        return new Issued(store(projectId, key, name, scope), key);
    }

    /** Stores a key chosen elsewhere (the demo key from the environment) as a secret key; does nothing if it is known. */
    @Transactional
    public void register(String projectId, String key) {
        if (ApiKey.findById(lookup(sha256(key))) == null) {
            store(projectId, key, "default", KeyScope.SECRET);
        }
    }

    private static ApiKey store(String projectId, String key, String name, KeyScope scope) {
        byte[] hash = sha256(key);
        ApiKey row = new ApiKey();
        row.lookup = lookup(hash);
        row.id = "key_" + newSecret("").substring(0, 24);
        row.projectId = projectId;
        row.keyHash = hash;
        row.name = name;
        row.scope = scope.id();
        row.prefix = shownPrefix(key);
        row.persist();
        return row;
    }

    /** The project's active keys (a rotated key in its grace period included), oldest first. */
    public List<ApiKey> list(String projectId) {
        return ApiKey.list("projectId = ?1 and (revokedAt is null or revokedAt > ?2) order by createdAt, id", projectId, Instant.now());
    }

    /**
     * A new key with the old one's name and scope; the old one is revoked now, or after {@code grace}
     * (at most {@link #MAX_GRACE}) so clients can move to the new one first.
     */
    @Transactional
    public Rotated rotate(String projectId, String keyId, Duration grace) {
        ApiKey old = active(projectId, keyId);
        String key = newSecret(KeyScope.of(old.scope).orElse(KeyScope.SECRET).prefix());
        ApiKey row = store(projectId, key, old.name, KeyScope.of(old.scope).orElse(KeyScope.SECRET));
        Instant revokeAt = Instant.now().plus(grace);
        // A second rotation within a grace period must not lengthen the old key's life.
        if (old.revokedAt == null || revokeAt.isBefore(old.revokedAt)) {
            old.revokedAt = revokeAt;
        }
        forgetAfterCommit(old.lookup);
        return new Rotated(new Issued(row, key), old.revokedAt);
    }

    /**
     * Revokes a key at once. The project's last active secret key is kept (409): without one, only the
     * operator's admin token could make the project manageable again.
     */
    @Transactional
    public void revoke(String projectId, String keyId) {
        ApiKey key = active(projectId, keyId);
        if (KeyScope.SECRET.id().equals(key.scope) && ApiKey.count("projectId = ?1 and scope = ?2 and id <> ?3 and (revokedAt is null or revokedAt > ?4)",
                projectId, KeyScope.SECRET.id(), keyId, Instant.now()) == 0) {
            throw new ApiException(409, "conflict", "this is the project's last secret key: create or rotate to another one first");
        }
        key.revokedAt = Instant.now();
        forgetAfterCommit(key.lookup);
    }

    private static ApiKey active(String projectId, String keyId) {
        ApiKey key = ApiKey.find("projectId = ?1 and id = ?2", projectId, keyId).firstResult();
        if (key == null || !key.activeAt(Instant.now())) {
            throw ApiException.notFound("API key " + keyId);
        }
        return key;
    }

    /** Dropped when the transaction ends: dropped earlier, a request in between could cache the row as it was. */
    private void forgetAfterCommit(String lookup) {
        AfterCommit.run(transactions, () -> verified.invalidate(lookup));
    }

    /** A key as a request presents it, hashed once for {@link #remembers} and {@link #verify}. */
    public record Presented(String key, byte[] hash, String lookup) {
        /** Never the key itself, should one end up in a log. */
        @Override
        public String toString() {
            return "Presented[" + lookup + "]";
        }
    }

    public static Presented presented(String key) {
        byte[] hash = sha256(key);
        return new Presented(key, hash, lookup(hash));
    }

    /** The active key {@code presented} is, or empty when it is unknown, revoked or past its grace period. */
    public Optional<Verified> verify(Presented presented) {
        byte[] hash = presented.hash();
        String lookup = presented.lookup();
        Known known = verified.getIfPresent(lookup);
        if (known == null) {
            // JDBC, not the entity: callable from any thread, the event loop's helpers included.
            known = sql.first("SELECT project_id, id, key_hash, scope, revoked_at FROM api_key WHERE lookup = ?",
                    rs -> new Known(rs.getString("project_id"), rs.getString("id"), rs.getBytes("key_hash"),
                            KeyScope.of(rs.getString("scope")).orElse(KeyScope.SECRET), Sql.instant(rs, "revoked_at")), lookup).orElse(null);
            if (known == null) {
                return Optional.empty();
            }
            verified.put(lookup, known);
        }
        if (!MessageDigest.isEqual(known.hash(), hash) || (known.revokedAt() != null && !known.revokedAt().isAfter(Instant.now()))) {
            return Optional.empty();
        }
        usage.used(lookup, shownPrefix(presented.key()));
        return Optional.of(new Verified(known.projectId(), known.keyId(), lookup, known.scope()));
    }

    /** Whether {@link #verify} answers this key from memory, without asking the database. */
    public boolean remembers(Presented presented) {
        return verified.getIfPresent(presented.lookup()) != null;
    }

    /** When the key was last used, counting uses not yet written (they are written once a minute). */
    public Instant lastUsedAt(ApiKey key) {
        return usage.lastUsedAt(key.lookup).filter(at -> key.lastUsedAt == null || at.isAfter(key.lastUsedAt)).orElse(key.lastUsedAt);
    }

    public static boolean sameSecret(String expected, String presented) {
        return MessageDigest.isEqual(sha256(expected), sha256(presented));
    }

    /** A short key (a demo key set by hand) shows a quarter of itself at most, never all of it. */
    static String shownPrefix(String key) {
        return key.substring(0, Math.min(SHOWN_PREFIX, key.length() / 4));
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
