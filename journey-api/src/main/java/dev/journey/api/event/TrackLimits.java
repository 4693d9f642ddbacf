package dev.journey.api.event;

import io.smallrye.config.ConfigMapping;

/** Limits of one track request (application.properties, {@code journey.track.*}). */
@ConfigMapping(prefix = "journey.track")
public interface TrackLimits {
    int maxEvents();

    int maxRequestBytes();

    int maxEventBytes();

    int maxDataKeys();
}
