package dev.journey.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorageTest {
    @TempDir
    Path dir;

    @Test
    void oneClientPerDirectoryAndTheDeviceIdAndUserOutliveIt() {
        JourneyOptions options = JourneyOptions.builder().projectId("p1").key("jpk_x").baseUrl("http://127.0.0.1:9")
                .storageDirectory(dir).flushInterval(java.time.Duration.ofHours(1)).build();
        String deviceId;
        try (JourneyClient first = new JourneyClient(options)) {
            deviceId = first.deviceId();
            first.setUserId("ann");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new JourneyClient(options));
            assertTrue(e.getMessage().contains("is used by another Journey client"), e.getMessage());
        }
        try (JourneyClient again = new JourneyClient(options)) {
            assertEquals(deviceId, again.deviceId());
            assertEquals("ann", again.userId());
            again.logout();
            assertThrows(IllegalStateException.class, () -> again.setTags(java.util.Map.of("a", 1)), "tags need a user");
        }
        JourneyClient closed = new JourneyClient(options);
        closed.close();
        assertThrows(IllegalStateException.class, () -> closed.trackEvent("late"));
    }
}
