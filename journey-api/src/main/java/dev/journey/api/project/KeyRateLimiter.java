package dev.journey.api.project;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * A token bucket per publishable key: {@code journey.keys.publishable.rate-per-second} tokens a second,
 * at most {@code burst} saved up. A publishable key is public, so this bounds what anyone holding one
 * can make the engine store; secret keys are not limited here. Kept in memory, per API process.
 */
@ApplicationScoped
public class KeyRateLimiter {
    private final double perNano;
    private final double burst;
    /** Buckets of keys unused for a while are dropped: a full bucket is what a new one is anyway. */
    private final Cache<String, Bucket> buckets;

    public KeyRateLimiter(@ConfigProperty(name = "journey.keys.publishable.rate-per-second", defaultValue = "100") double perSecond,
                          @ConfigProperty(name = "journey.keys.publishable.burst", defaultValue = "200") double burst) {
        if (perSecond <= 0 || burst < 1) {
            throw new IllegalArgumentException("journey.keys.publishable.rate-per-second must be > 0 and burst >= 1");
        }
        this.perNano = perSecond / 1e9;
        this.burst = burst;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000)
                .expireAfterAccess(Duration.ofNanos((long) Math.max(burst / perNano, 1e9))).build();
    }

    /** Takes one token for {@code keyId}: zero when allowed, else how long until one is there. */
    public Duration acquire(String keyId) {
        return buckets.get(keyId, k -> new Bucket(burst, System.nanoTime())).take(perNano, burst, System.nanoTime());
    }

    private static final class Bucket {
        private double tokens;
        private long at;

        Bucket(double tokens, long at) {
            this.tokens = tokens;
            this.at = at;
        }

        synchronized Duration take(double perNano, double burst, long now) {
            tokens = Math.min(burst, tokens + (now - at) * perNano);
            at = now;
            if (tokens >= 1) {
                tokens -= 1;
                return Duration.ZERO;
            }
            return Duration.ofNanos((long) Math.ceil((1 - tokens) / perNano));
        }
    }
}
