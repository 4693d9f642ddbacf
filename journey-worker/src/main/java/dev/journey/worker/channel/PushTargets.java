package dev.journey.worker.channel;

import java.util.List;

/**
 * Where a push goes: the live tokens of a user's devices (or of one device), and the token a
 * provider calls unregistered, retired. The subject package keeps the devices; the push channel
 * only asks.
 */
public interface PushTargets {
    record Device(String deviceId, String platform, String token) {
        boolean ios() {
            return "ios".equalsIgnoreCase(platform);
        }
    }

    List<Device> live(String projectId, String subjectType, String subjectId, String userId);

    /** Only that token: a device that has since registered a new token keeps it live. */
    void markDead(String projectId, String deviceId, String token);
}
