package dev.journey.worker.dsl;

import java.time.Duration;

/**
 * Whether a user who was in the journey may enter it again: {@code once} (the default, as in
 * Braze and Customer.io), {@code always}, or {@code cooldown} (again once {@code cooldown} has
 * passed since the last entry).
 */
public record Reentry(String mode, String cooldown) {
    public static final Reentry ONCE = new Reentry("once", null);

    public Duration cooldownDuration() {
        return "cooldown".equals(mode) ? Durations.stored(cooldown) : Duration.ZERO;
    }
}
