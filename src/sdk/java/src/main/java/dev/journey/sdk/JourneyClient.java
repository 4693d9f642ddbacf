package dev.journey.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One client of the engine, with its own storage directory. {@link Journey} keeps one for an app; a backend
 * that speaks for several projects makes one each. Thread-safe.
 *
 * <p>What is promised: a call that breaks the engine's rules throws {@link IllegalArgumentException} (or
 * {@link IllegalStateException} when made in the wrong state) at once; anything accepted is on disk when the
 * call returns and is sent in the background, in order, until the engine stores it — through network
 * trouble, 5xx and 429 answers and process restarts — and each event is stored once, by its eventId. Nothing
 * is thrown for network trouble.
 */
public final class JourneyClient implements Closeable {
    private static final Logger LOG = Logger.getLogger(JourneyClient.class.getName());
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<Map<String, Object>>() {};

    private final JourneyOptions options;
    private final ObjectMapper json = new ObjectMapper();
    private final Storage storage;
    private final DiskQueue queue;
    private final Http http;
    private final Sender sender;
    private final Object stateLock = new Object();
    private long unwritable; // items that could not be written to disk: dropped, and counted with the full queue's
    private volatile boolean closed;

    /**
     * Opens (or creates) the storage directory and starts sending what a previous process left in it.
     *
     * @throws IllegalStateException when another client holds the directory
     * @throws UncheckedIOException when the directory cannot be created or read
     */
    public JourneyClient(JourneyOptions options) {
        this.options = options;
        if (options.key().startsWith("jk_")) {
            LOG.warning("journey: a secret key (jk_…) is for servers only; an app must use a publishable key (jpk_…)");
        }
        try {
            storage = new Storage(options.storageDirectory(), json);
            DiskQueue opened;
            try {
                opened = new DiskQueue(options.storageDirectory(), json, options.maxQueueSize());
            } catch (IOException | RuntimeException e) {
                storage.close();
                throw e;
            }
            queue = opened;
        } catch (IOException e) {
            throw new UncheckedIOException("journey: cannot open the storage directory " + options.storageDirectory(), e);
        }
        http = new Http(options);
        sender = new Sender(queue, http, json, options, storage);
        sender.start();
    }

    public JourneyOptions options() {
        return options;
    }

    /** This installation's device id, made once and kept in the storage directory. */
    public String deviceId() {
        return storage.get("deviceId");
    }

    /** The current user, or null before {@link #setUserId} and after {@link #logout}. */
    public String userId() {
        return storage.get("userId");
    }

    /**
     * Names the user: later events are theirs, and a registered device is registered again for them, which
     * joins its anonymous events (tracked with subjectType "device") to the user.
     */
    public void setUserId(String userId) {
        EventRules.text("userId", userId, EventRules.MAX_ID_CHARS);
        open();
        synchronized (stateLock) {
            if (userId.equals(userId())) {
                return;
            }
            write("userId", userId);
            String platform = storage.get("platform");
            if (platform != null && !userId.equals(storage.get("deviceUser"))) {
                enqueue(device(platform, storage.get("pushToken"), userId), 0);
            }
        }
    }

    /** Forgets the user: what they tracked is still sent; later events belong to the device again. */
    public void logout() {
        open();
        synchronized (stateLock) {
            write("userId", null);
        }
    }

    /** {@link #trackEvent(String, Map)} without data. */
    public String trackEvent(String type) {
        return trackEvent(type, null);
    }

    /**
     * Queues an event of the current user (or of this device before {@link #setUserId}), timestamped now.
     *
     * @param data flat values: String, Number, Boolean, null, an ISO-8601 time (Instant, OffsetDateTime,
     *             ZonedDateTime, Date — sent as a string with an offset), or an array or collection whose
     *             elements are all strings or all numbers; at most 100 keys and 32,768 characters as JSON
     * @return the event's eventId, by which the engine stores it once however often it is sent; null when
     *         the storage directory could not be written (the event is dropped, logged and counted)
     * @throws IllegalArgumentException naming the type or the data's field that the engine would refuse
     */
    public String trackEvent(String type, Map<String, ?> data) {
        EventRules.type(type);
        Map<String, Object> clean = EventRules.data(data, json);
        open();
        String user = userId();
        return track(user != null ? "user" : "device", user != null ? user : deviceId(), type, clean);
    }

    /**
     * For a backend that speaks for many users: an event of {@code userId}, whoever the current user is.
     * Otherwise as {@link #trackEvent(String, Map)}.
     */
    public String trackEventFor(String userId, String type, Map<String, ?> data) {
        EventRules.text("userId", userId, EventRules.MAX_ID_CHARS);
        EventRules.type(type);
        Map<String, Object> clean = EventRules.data(data, json);
        open();
        return track("user", userId, type, clean);
    }

    private String track(String subjectType, String subjectId, String type, Map<String, Object> data) {
        String eventId = UUID.randomUUID().toString();
        ObjectNode event = json.createObjectNode();
        event.put("eventId", eventId);
        event.put("subjectType", subjectType);
        event.put("subjectId", subjectId);
        event.put("type", type);
        event.set("data", json.valueToTree(data));
        event.put("timestamp", Instant.now().toEpochMilli()); // when it happened, not when a retry gets through
        ObjectNode item = item("event");
        item.set("event", event);
        return enqueue(item, options.flushInterval().toMillis()) ? eventId : null;
    }

    /**
     * Merges tags into the current user's (a null value deletes one); same value rules as event data.
     *
     * @throws IllegalStateException before {@link #setUserId}: tags belong to a user
     */
    public void setTags(Map<String, ?> tags) {
        open();
        String user = userId();
        if (user == null) {
            throw new IllegalStateException("setTags: call setUserId first (tags belong to a user)");
        }
        setTagsFor(user, tags);
    }

    /** For a backend: merges tags into {@code userId}'s, whoever the current user is. */
    public void setTagsFor(String userId, Map<String, ?> tags) {
        EventRules.text("userId", userId, EventRules.MAX_ID_CHARS);
        Map<String, Object> clean = EventRules.tags(tags);
        open();
        ObjectNode item = item("tags");
        item.put("userId", userId);
        item.set("tags", json.valueToTree(clean));
        enqueue(item, 0);
    }

    /**
     * Subscribes the current user to a topic of the project, or unsubscribes them, on one channel
     * ({@code "email"}, {@code "push"}, {@code "sms"}, {@code "inapp"}, {@code "webhook"}) or on all
     * ({@code channel} null). Marketing messages about a topic go only to users subscribed to it.
     *
     * @throws IllegalStateException before {@link #setUserId}: choices belong to a user
     */
    public void setSubscription(String topic, String channel, boolean subscribed) {
        open();
        String user = userId();
        if (user == null) {
            throw new IllegalStateException("setSubscription: call setUserId first (subscriptions belong to a user)");
        }
        setSubscriptionFor(user, topic, channel, subscribed);
    }

    /** For a backend: {@link #setSubscription} for {@code userId}, whoever the current user is. */
    public void setSubscriptionFor(String userId, String topic, String channel, boolean subscribed) {
        EventRules.text("userId", userId, EventRules.MAX_ID_CHARS);
        EventRules.topic(topic);
        EventRules.channel(channel);
        open();
        ObjectNode item = item("subscription");
        item.put("userId", userId);
        ObjectNode choice = item.putObject("subscription");
        choice.put("topic", topic);
        choice.put("channel", channel == null ? "all" : channel);
        choice.put("status", subscribed ? "subscribed" : "unsubscribed");
        enqueue(item, 0);
    }

    /**
     * Registers this device (platform "android", "ios" or "web"; pushToken may be null) for the current user
     * if any. The engine records {@code @first_session} on a device's first registration only, so calling this
     * on every start, or again when the push token changes, is right.
     */
    public void registerDevice(String platform, String pushToken) {
        EventRules.platform(platform);
        if (pushToken != null) {
            EventRules.text("pushToken", pushToken, EventRules.MAX_PUSH_TOKEN_CHARS);
        }
        open();
        synchronized (stateLock) {
            write("platform", platform);
            write("pushToken", pushToken);
            enqueue(device(platform, pushToken, userId()), 0);
        }
    }

    /**
     * The current user's in-app inbox, newest first: messages neither clicked nor closed. Blocking (one
     * request): on Android call it off the main thread.
     *
     * @throws IllegalStateException before {@link #setUserId}
     * @throws IOException when the engine cannot be reached or refuses (the message says which)
     */
    public List<InAppMessage> inbox() throws IOException {
        open();
        String user = userId();
        if (user == null) {
            throw new IllegalStateException("inbox: call setUserId first (the inbox is a user's)");
        }
        Http.Response res = http.call("GET", "/users/" + Http.enc(user) + "/inapp", null);
        if (!res.ok()) {
            throw new IOException("journey: the inbox answered " + res.status + ": " + res.body);
        }
        List<InAppMessage> messages = new ArrayList<>();
        for (JsonNode m : json.readTree(res.body).path("messages")) {
            Map<String, Object> content = m.path("content").isObject() ? json.convertValue(m.get("content"), MAP)
                    : Collections.<String, Object>emptyMap();
            messages.add(new InAppMessage(m.path("messageId").asText(), user, m.path("journeyId").asText(null),
                    m.path("stepId").asText(null), content, instant(m.get("createdAt")), instant(m.get("displayedAt"))));
        }
        return messages;
    }

    /** Reports the message shown: {@code @iam_displayed}, recorded once by the engine however often reported. */
    public void displayed(InAppMessage message) {
        action(message, "displayed", null, null);
    }

    /**
     * Reports a click ({@code @iam_clicked}, once); {@code button} (≤ 128 characters) and {@code url} (≤ 2048)
     * are optional and join the event's data.
     */
    public void clicked(InAppMessage message, String button, String url) {
        if (button != null) {
            EventRules.text("button", button, 128);
        }
        if (url != null) {
            EventRules.text("url", url, 2048);
        }
        action(message, "clicked", button, url);
    }

    /** Reports the message dismissed: {@code @iam_closed}, once. */
    public void closed(InAppMessage message) {
        action(message, "closed", null, null);
    }

    /**
     * Reports a push the user opened (tapped): {@code @opened}, recorded once per message. The push's
     * data carries its {@code messageId}; the message must be the current user's.
     */
    public void pushOpened(String messageId) {
        open();
        String user = userId();
        if (user == null) {
            throw new IllegalStateException("pushOpened: call setUserId first (the push was sent to a user)");
        }
        pushOpenedFor(user, messageId);
    }

    /** For a backend: {@link #pushOpened} for {@code userId}'s message, whoever the current user is. */
    public void pushOpenedFor(String userId, String messageId) {
        EventRules.text("userId", userId, EventRules.MAX_ID_CHARS);
        EventRules.text("messageId", messageId, EventRules.MAX_ID_CHARS);
        open();
        ObjectNode item = item("opened");
        item.put("messageId", messageId);
        item.put("userId", userId);
        enqueue(item, 0);
    }

    /** Starts sending what is queued now, even during a backoff; does not wait. */
    public void flush() {
        open();
        sender.flushNow();
    }

    /**
     * Sends what is queued and waits for it, e.g. before a backend job ends.
     *
     * @return true when the queue is empty; false when the timeout passed first or sending is paused
     */
    public boolean flush(Duration timeout) {
        flush();
        try {
            return sender.awaitEmpty(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return queue.size() == 0;
        }
    }

    /** Items on disk not yet accepted by the engine (events, tags, device registrations, in-app reports). */
    public int pendingCount() {
        return queue.size();
    }

    /** Items dropped since this client was opened because the queue was full (oldest first) or the disk failed. */
    public long droppedCount() {
        synchronized (stateLock) {
            return queue.dropped() + unwritable;
        }
    }

    /** Items the engine refused for good (a 4xx other than 401, 403, 408 and 429) since this client was opened. */
    public long rejectedCount() {
        return sender.rejected();
    }

    /** Why sending stopped (the engine refused the key), or null while it goes on. */
    public String pausedReason() {
        return sender.paused();
    }

    /**
     * Stops the sender and releases the storage directory. What is still queued stays on disk and is sent by
     * the next client opened on this directory; call {@link #flush(Duration)} first to send it now.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        sender.close();
        try {
            queue.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "journey: closing the queue", e);
        }
        try {
            storage.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "journey: releasing the storage directory", e);
        }
    }

    private void action(InAppMessage message, String action, String button, String url) {
        if (message == null) {
            throw new IllegalArgumentException("message: is required");
        }
        open();
        ObjectNode item = item("iam");
        item.put("messageId", message.messageId());
        item.put("userId", message.userId());
        item.put("action", action);
        if (button != null || url != null) {
            ObjectNode detail = item.putObject("detail");
            if (button != null) {
                detail.put("button", button);
            }
            if (url != null) {
                detail.put("url", url);
            }
        }
        enqueue(item, 0);
    }

    private ObjectNode device(String platform, String pushToken, String userId) {
        ObjectNode body = json.createObjectNode();
        body.put("deviceId", deviceId());
        body.put("platform", platform);
        if (userId != null) {
            body.put("userId", userId);
        }
        if (pushToken != null) {
            body.put("pushToken", pushToken);
        }
        String zone = TimeZone.getDefault().getID();
        try {
            ZoneId.of(zone); // the engine takes IANA names only; without one it keeps the device's previous
            body.put("timezone", zone);
        } catch (DateTimeException e) {
            // no timezone sent
        }
        ObjectNode item = item("device");
        item.set("device", body);
        return item;
    }

    private ObjectNode item(String kind) {
        ObjectNode item = json.createObjectNode();
        item.put("kind", kind);
        item.put("id", UUID.randomUUID().toString());
        return item;
    }

    /** Disk trouble is not the caller's mistake: logged and counted, never thrown into the app. */
    private boolean enqueue(ObjectNode item, long sendWithinMillis) {
        try {
            queue.add(item);
        } catch (IOException e) {
            LOG.log(Level.SEVERE, "journey: cannot write the queue in " + options.storageDirectory() + "; "
                    + item.path("kind").asText() + " dropped", e);
            synchronized (stateLock) {
                unwritable++;
            }
            return false;
        }
        sender.sendIn(sendWithinMillis);
        return true;
    }

    private void write(String name, String value) {
        try {
            storage.put(name, value);
        } catch (IOException e) {
            // Storage.put keeps the previous state; disk trouble is not the caller's mistake, so it is logged, not thrown.
            LOG.log(Level.SEVERE, "journey: cannot write the state in " + options.storageDirectory(), e);
        }
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("this Journey client is closed");
        }
    }

    private static Instant instant(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeException e) {
            return null;
        }
    }
}
