package dev.journey.api.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;

import dev.journey.worker.event.Outbox;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * What an operator watches of dispatch, at {@code /q/metrics}: the outbox backlog and its lag (the
 * age of the oldest event not yet dispatched), events retrying after a failure, parked events,
 * failures, and restarts of the dispatcher loop. The backlog is read from PostgreSQL at most once
 * every few seconds, however often it is scraped.
 */
@Startup
@ApplicationScoped
public class DispatchMetrics {
    private static final Duration BACKLOG_FRESHNESS = Duration.ofSeconds(5);

    private final Counter failures;
    private final Counter parked;
    private final Counter restarts;
    private final LoadingCache<String, Outbox.Backlog> backlog;

    @Inject
    public DispatchMetrics(MeterRegistry registry, Outbox outbox) {
        failures = registry.counter("journey.dispatch.failures", "outcome", "retrying");
        parked = registry.counter("journey.dispatch.failures", "outcome", "parked");
        restarts = registry.counter("journey.dispatch.restarts");
        backlog = Caffeine.newBuilder().expireAfterWrite(BACKLOG_FRESHNESS).build(k -> outbox.backlog());
        gauge(registry, "journey.dispatch.outbox.pending", "events stored and not yet dispatched", b -> b.pending());
        gauge(registry, "journey.dispatch.outbox.retrying", "events waiting for another attempt after a failure", b -> b.retrying());
        gauge(registry, "journey.dispatch.outbox.lag.seconds", "age of the oldest event not yet dispatched",
                b -> b.oldestReceivedAt() == null ? 0 : Duration.between(b.oldestReceivedAt(), Instant.now()).toMillis() / 1000.0);
        gauge(registry, "journey.dispatch.dead.letters", "events parked after their last attempt failed", b -> b.parked());
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<Outbox.Backlog> value) {
        Gauge.builder(name, this, m -> {
            try {
                return value.applyAsDouble(m.backlog.get("all"));
            } catch (RuntimeException unavailable) {
                return Double.NaN;
            }
        }).description(description).register(registry);
    }

    void failed(boolean wasParked) {
        (wasParked ? parked : failures).increment();
    }

    void restarted() {
        restarts.increment();
    }
}
