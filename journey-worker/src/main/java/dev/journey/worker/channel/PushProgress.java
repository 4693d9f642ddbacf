package dev.journey.worker.channel;

import java.util.Map;

/**
 * What earlier attempts of a push achieved, device by device, and where each new outcome is written
 * as soon as it is known: a retry then repeats only the device that was in flight.
 */
public interface PushProgress {
    /** Outcomes recorded so far, by device id: {@code sent}, {@code failed: …}, {@code skipped: …}. */
    Map<String, String> outcomes();

    void record(String deviceId, String outcome);

    PushProgress NONE = new PushProgress() {
        @Override
        public Map<String, String> outcomes() {
            return Map.of();
        }

        @Override
        public void record(String deviceId, String outcome) {}
    };
}
