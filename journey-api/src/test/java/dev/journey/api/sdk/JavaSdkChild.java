package dev.journey.api.sdk;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.journey.sdk.JourneyClient;
import dev.journey.sdk.JourneyOptions;

/**
 * The app that JavaSdkTest kills: a second JVM that queues events and prints each eventId as soon as
 * trackEvent returns (the moment the SDK says it is on disk). The first half is flushed and acknowledged; the
 * second half is sent as one batch after "queued" is printed, and the test kills the process once the engine has
 * stored that batch but before the answer reaches this process.
 * Arguments: baseUrl projectId key storageDirectory count.
 */
public final class JavaSdkChild {
    private JavaSdkChild() {}

    public static void main(String[] args) throws InterruptedException {
        int count = Integer.parseInt(args[4]);
        JourneyClient client = new JourneyClient(JourneyOptions.builder().baseUrl(args[0]).projectId(args[1]).key(args[2])
                .storageDirectory(Path.of(args[3])).flushInterval(Duration.ofHours(1)).build());
        for (int i = 0; i < count; i++) {
            System.out.println("event " + client.trackEvent("kill_test", Map.of("i", i)));
            if (i == count / 2 - 1) {
                if (!client.flush(Duration.ofSeconds(30))) {
                    System.out.println("error the first half was not sent");
                }
                System.out.println("half-sent");
            }
        }
        client.flush();
        System.out.println("queued");
        System.out.flush();
        new CountDownLatch(1).await(); // killed here: nothing ends this process cleanly
    }
}
