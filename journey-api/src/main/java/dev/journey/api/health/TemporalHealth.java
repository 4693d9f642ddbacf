package dev.journey.api.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.journey.api.runtime.TemporalRuntime;

/**
 * Readiness: Temporal answers (the cluster's frontend, or the in-process service), and the in-process
 * worker, when this process runs one, is polling. Without Temporal nothing starts or signals a journey, so
 * the dispatcher would only fill the outbox: not ready. (PostgreSQL's readiness is Quarkus' own datasource check.)
 */
@Readiness
@ApplicationScoped
public class TemporalHealth implements HealthCheck {
    @Inject
    TemporalRuntime temporal;

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("temporal")
                .withData("mode", temporal.inProcess() ? "in-process" : "cluster")
                .withData("worker", temporal.workerState());
        try {
            temporal.checkReachable();
        } catch (RuntimeException e) {
            return response.down().withData("reason", "Temporal does not answer: " + e.getMessage()).build();
        }
        if (temporal.workerState().equals("stopped")) {
            return response.down().withData("reason", "the in-process journey worker is stopped").build();
        }
        return response.up().build();
    }
}
