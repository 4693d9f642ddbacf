package dev.journey.sdk;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a client needs: the project, its key, where the engine is and a directory of its own. Made with
 * {@link #builder()}; immutable.
 *
 * <pre>{@code
 * JourneyOptions options = JourneyOptions.builder()
 *     .projectId("prj_123").key("jpk_...").baseUrl("https://journey.example.com")
 *     .storageDirectory(new File(context.getFilesDir(), "journey"))
 *     .build();
 * }</pre>
 */
public final class JourneyOptions {
    private final String projectId;
    private final String key;
    private final String baseUrl;
    private final Path storageDirectory;
    private final Duration flushInterval;
    private final int maxQueueSize;
    private final Duration httpTimeout;
    private final Duration maxBackoff;

    private JourneyOptions(Builder b) {
        projectId = b.projectId;
        key = b.key;
        baseUrl = b.baseUrl;
        storageDirectory = b.storageDirectory;
        flushInterval = b.flushInterval;
        maxQueueSize = b.maxQueueSize;
        httpTimeout = b.httpTimeout;
        maxBackoff = b.maxBackoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    public String projectId() {
        return projectId;
    }

    public String key() {
        return key;
    }

    /** Without a trailing slash. */
    public String baseUrl() {
        return baseUrl;
    }

    public Path storageDirectory() {
        return storageDirectory;
    }

    public Duration flushInterval() {
        return flushInterval;
    }

    public int maxQueueSize() {
        return maxQueueSize;
    }

    public Duration httpTimeout() {
        return httpTimeout;
    }

    public Duration maxBackoff() {
        return maxBackoff;
    }

    public static final class Builder {
        private String projectId;
        private String key;
        private String baseUrl;
        private Path storageDirectory;
        private Duration flushInterval = Duration.ofSeconds(1);
        private int maxQueueSize = 10_000;
        private Duration httpTimeout = Duration.ofSeconds(15);
        private Duration maxBackoff = Duration.ofSeconds(60);

        private Builder() {}

        public Builder projectId(String projectId) {
            this.projectId = projectId;
            return this;
        }

        /** A publishable key ({@code jpk_…}) in an app; a secret key ({@code jk_…}) only on your servers. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** The engine's address, e.g. {@code https://journey.example.com}. */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
            return this;
        }

        /** A directory only this client uses: the queue, the device id and the user id live there. */
        public Builder storageDirectory(Path storageDirectory) {
            this.storageDirectory = storageDirectory;
            return this;
        }

        public Builder storageDirectory(File storageDirectory) {
            return storageDirectory(storageDirectory == null ? null : storageDirectory.toPath());
        }

        /** How long a tracked event may wait to be sent with the next ones (default 1 s; zero sends at once). */
        public Builder flushInterval(Duration flushInterval) {
            this.flushInterval = flushInterval;
            return this;
        }

        /** Items kept while the engine cannot be reached (default 10,000); beyond it the oldest are dropped. */
        public Builder maxQueueSize(int maxQueueSize) {
            this.maxQueueSize = maxQueueSize;
            return this;
        }

        /** Connect and read timeout of each request (default 15 s). */
        public Builder httpTimeout(Duration httpTimeout) {
            this.httpTimeout = httpTimeout;
            return this;
        }

        /** The longest wait between two attempts (default 60 s); a longer Retry-After is still honoured. */
        public Builder maxBackoff(Duration maxBackoff) {
            this.maxBackoff = maxBackoff;
            return this;
        }

        /** @throws IllegalArgumentException naming the option that is missing or invalid */
        public JourneyOptions build() {
            EventRules.text("projectId", projectId, EventRules.MAX_ID_CHARS);
            EventRules.text("key", key, 512);
            if (baseUrl == null || !(baseUrl.startsWith("http://") || baseUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("baseUrl: must be the engine's http:// or https:// address");
            }
            while (baseUrl.endsWith("/")) {
                baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
            }
            if (storageDirectory == null) {
                throw new IllegalArgumentException("storageDirectory: is required (on Android: new File(context.getFilesDir(), \"journey\"))");
            }
            positive("flushInterval", flushInterval, true);
            positive("httpTimeout", httpTimeout, false);
            positive("maxBackoff", maxBackoff, false);
            if (maxQueueSize < 1) {
                throw new IllegalArgumentException("maxQueueSize: must be at least 1");
            }
            return new JourneyOptions(this);
        }

        private static void positive(String name, Duration d, boolean zeroAllowed) {
            if (d == null || d.isNegative() || (!zeroAllowed && d.isZero())) {
                throw new IllegalArgumentException(name + ": must be a " + (zeroAllowed ? "non-negative" : "positive") + " duration");
            }
        }
    }
}
