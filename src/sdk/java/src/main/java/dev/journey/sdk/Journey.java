package dev.journey.sdk;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The app-wide client, in the seed's words: {@code Journey.init(options)} once (on Android in
 * {@code Application.onCreate}), then {@code Journey.trackEvent("test_event")} anywhere. Each method is
 * {@link JourneyClient}'s; see there for what it promises and throws. Before {@link #init} every method
 * throws {@link IllegalStateException}.
 */
public final class Journey {
    public static final String VERSION = "0.1.0";

    private static volatile JourneyClient client;

    private Journey() {}

    /** Opens the client on the options' storage directory; a client made by an earlier init is closed first. */
    public static synchronized JourneyClient init(JourneyOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options: are required (JourneyOptions.builder()...build())");
        }
        if (client != null) {
            client.close();
            client = null;
        }
        client = new JourneyClient(options);
        return client;
    }

    /** The client made by {@link #init}. */
    public static JourneyClient client() {
        JourneyClient c = client;
        if (c == null) {
            throw new IllegalStateException("call Journey.init(options) first");
        }
        return c;
    }

    public static void setUserId(String userId) {
        client().setUserId(userId);
    }

    public static String trackEvent(String type) {
        return client().trackEvent(type);
    }

    public static String trackEvent(String type, Map<String, ?> data) {
        return client().trackEvent(type, data);
    }

    public static void setTags(Map<String, ?> tags) {
        client().setTags(tags);
    }

    public static String trackEventFor(String userId, String type, Map<String, ?> data) {
        return client().trackEventFor(userId, type, data);
    }

    public static void setTagsFor(String userId, Map<String, ?> tags) {
        client().setTagsFor(userId, tags);
    }

    public static void setSubscription(String topic, String channel, boolean subscribed) {
        client().setSubscription(topic, channel, subscribed);
    }

    public static void logout() {
        client().logout();
    }

    public static void registerDevice(String platform, String pushToken) {
        client().registerDevice(platform, pushToken);
    }

    public static List<InAppMessage> inbox() throws IOException {
        return client().inbox();
    }

    public static void displayed(InAppMessage message) {
        client().displayed(message);
    }

    public static void clicked(InAppMessage message, String button, String url) {
        client().clicked(message, button, url);
    }

    public static void closed(InAppMessage message) {
        client().closed(message);
    }

    /** The user opened a push: pass the {@code messageId} from the push's data. */
    public static void pushOpened(String messageId) {
        client().pushOpened(messageId);
    }

    public static void flush() {
        client().flush();
    }

    public static boolean flush(Duration timeout) {
        return client().flush(timeout);
    }

    /** Closes the client (what is queued stays on disk for the next init). */
    public static synchronized void shutdown() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
