package dev.journey.api.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.journey.worker.event.Outbox;

/**
 * Readiness: the dispatcher keeps up. Down when the oldest stored event not yet dispatched was received more
 * than {@code journey.health.max-outbox-lag} ago: journeys then start late, and a load balancer should send
 * new traffic elsewhere while an operator looks (dead letters do not count: they wait for a person).
 */
@Readiness
@ApplicationScoped
public class OutboxLagHealth implements HealthCheck {
    @Inject
    Outbox outbox;
    @ConfigProperty(name = "journey.health.max-outbox-lag")
    Duration maxLag;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("dispatch").withData("max-outbox-lag", maxLag.toString());
        Outbox.Backlog backlog;
        try {
            backlog = outbox.backlog();
        } catch (RuntimeException e) {
            return response.down().withData("reason", "the outbox could not be read: " + e.getMessage()).build();
        }
        Duration lag = backlog.oldestReceivedAt() == null ? Duration.ZERO : Duration.between(backlog.oldestReceivedAt(), Instant.now());
        response.withData("pending", backlog.pending()).withData("lag-seconds", Math.max(0, lag.toSeconds()));
        if (lag.compareTo(maxLag) > 0) {
            return response.down().withData("reason", "the oldest event waiting for dispatch was received " + lag.toSeconds()
                    + " s ago, more than journey.health.max-outbox-lag (" + maxLag + ")").build();
        }
        return response.up().build();
    }
}
