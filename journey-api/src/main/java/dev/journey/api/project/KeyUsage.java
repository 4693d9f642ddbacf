package dev.journey.api.project;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.journey.api.runtime.Threads;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * When each key was last used. A write per request would double the track path's database work, so uses
 * are remembered here and written together every {@code journey.keys.last-used-flush} (a minute): at most
 * one write per key per minute, and a crash loses at most that minute of "last used". A key issued before
 * V13 has no prefix on record; its first use after the upgrade writes it.
 */
@ApplicationScoped
public class KeyUsage {
    private static final Logger LOG = Logger.getLogger(KeyUsage.class);

    private record Use(Instant at, String prefix) {}

    private final Map<String, Use> pending = new ConcurrentHashMap<>();
    private ScheduledExecutorService flusher;

    @ConfigProperty(name = "journey.keys.last-used-flush", defaultValue = "60s")
    Duration every;

    void onStart(@Observes StartupEvent start) {
        flusher = Executors.newSingleThreadScheduledExecutor(r -> Threads.daemon(r, "key-usage-flush"));
        flusher.scheduleWithFixedDelay(this::flushQuietly, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent stop) {
        if (flusher != null) {
            flusher.shutdownNow();
        }
        flushQuietly();
    }

    void used(String lookup, String prefix) {
        pending.put(lookup, new Use(Instant.now(), prefix));
    }

    Optional<Instant> lastUsedAt(String lookup) {
        return Optional.ofNullable(pending.get(lookup)).map(Use::at);
    }

    /** Writes what was used since the last flush, in one transaction. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        Map<String, Use> batch = Map.copyOf(pending);
        QuarkusTransaction.requiringNew().run(() -> batch.forEach((lookup, use) ->
                ApiKey.update("lastUsedAt = ?1, prefix = coalesce(prefix, ?2) where lookup = ?3", use.at(), use.prefix(), lookup)));
        // A use recorded during the write stays for the next flush.
        batch.forEach(pending::remove);
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException e) {
            LOG.warn("could not record when API keys were last used; trying again at the next flush", e);
        }
    }
}
