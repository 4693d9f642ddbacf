package dev.journey.api.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import dev.journey.api.dispatch.Dispatcher;

/**
 * Liveness: the dispatch loop's thread runs. Only what a restart of this process would fix belongs here —
 * not PostgreSQL or Temporal being away (readiness says that; restarting would not bring them back).
 */
@Liveness
@ApplicationScoped
public class DispatcherLiveness implements HealthCheck {
    @Inject
    Dispatcher dispatcher;

    @Override
    public HealthCheckResponse call() {
        return dispatcher.alive() ? HealthCheckResponse.up("dispatcher")
                : HealthCheckResponse.named("dispatcher").down().withData("reason", "the dispatch loop has stopped").build();
    }
}
