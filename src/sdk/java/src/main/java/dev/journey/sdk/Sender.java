package dev.journey.sdk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Sends the queue front to back on one daemon thread: a run of events as one track request, any other item
 * (device, tags, in-app action) alone, so the order the app made them in is the order the engine sees.
 * A failure that may pass (no answer, 408, 429, 5xx) stops the run and tries again after an exponential
 * backoff with full jitter (or Retry-After when longer); a refusal that will not pass (any other 4xx) drops
 * what was refused and counts it; 401/403 (the key) pauses sending until a new client is made.
 */
final class Sender implements Runnable {
    private static final Logger LOG = Logger.getLogger(Sender.class.getName());
    /** The track API takes up to 1,000 events and 1 MiB per request: half the bytes leaves room for any JSON overhead. */
    static final int MAX_BATCH = 1000;
    static final int MAX_BATCH_BYTES = 512 * 1024;
    static final long BASE_BACKOFF_MILLIS = 1000;
    private static final Pattern EVENT_PATH = Pattern.compile("^events\\[(\\d+)]");

    private final DiskQueue queue;
    private final Http http;
    private final ObjectMapper json;
    private final JourneyOptions options;
    private final Storage storage;
    private final Object lock = new Object();
    private final Thread thread;

    // All guarded by lock.
    private long nextAt = Long.MAX_VALUE; // System.nanoTime() of the next attempt; MAX_VALUE: none planned
    private int failures;                 // consecutive failed attempts: the backoff's exponent
    private String paused;
    private boolean sending;
    private boolean closed;
    private long rejected;

    Sender(DiskQueue queue, Http http, ObjectMapper json, JourneyOptions options, Storage storage) {
        this.queue = queue;
        this.http = http;
        this.json = json;
        this.options = options;
        this.storage = storage;
        thread = new Thread(this, "journey-sender");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
        if (queue.size() > 0) {
            sendIn(0); // what a previous process left
        }
    }

    /** Plans a send within {@code millis}; a backoff under way is not shortened (see {@link #flushNow()}). */
    void sendIn(long millis) {
        synchronized (lock) {
            if (failures > 0 && nextAt != Long.MAX_VALUE) {
                return;
            }
            nextAt = Math.min(nextAt, System.nanoTime() + millis * 1_000_000L);
            lock.notifyAll();
        }
    }

    /** Sends now, even during a backoff: the caller asked for it (the app is going to the background, a job ends). */
    void flushNow() {
        synchronized (lock) {
            nextAt = System.nanoTime();
            lock.notifyAll();
        }
    }

    /** Waits until the queue is empty, sending is paused, or the timeout passes; true when the queue is empty. */
    boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        synchronized (lock) {
            for (;;) {
                if (queue.size() == 0 && !sending) {
                    return true;
                }
                long left = (deadline - System.nanoTime()) / 1_000_000L;
                if (left <= 0 || paused != null || closed) {
                    return queue.size() == 0;
                }
                lock.wait(Math.min(left, 50));
            }
        }
    }

    long rejected() {
        synchronized (lock) {
            return rejected;
        }
    }

    String paused() {
        synchronized (lock) {
            return paused;
        }
    }

    void close() {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        try {
            thread.join(options.httpTimeout().toMillis() + 1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void run() {
        for (;;) {
            synchronized (lock) {
                try {
                    while (!closed && (paused != null || System.nanoTime() < nextAt)) {
                        if (nextAt == Long.MAX_VALUE || paused != null) {
                            lock.wait();
                        } else {
                            lock.wait(Math.max(1, (nextAt - System.nanoTime()) / 1_000_000L));
                        }
                    }
                } catch (InterruptedException e) {
                    return;
                }
                if (closed) {
                    return;
                }
                nextAt = Long.MAX_VALUE;
                sending = true;
            }
            try {
                drain();
            } catch (RuntimeException | Error e) {
                LOG.log(Level.SEVERE, "journey: sending failed unexpectedly; trying again later", e);
                retry(0);
            } finally {
                synchronized (lock) {
                    sending = false;
                    lock.notifyAll();
                }
            }
        }
    }

    private void drain() {
        for (;;) {
            synchronized (lock) {
                if (closed) {
                    return;
                }
            }
            List<ObjectNode> items = queue.items();
            if (items.isEmpty()) {
                synchronized (lock) {
                    failures = 0;
                }
                return;
            }
            List<ObjectNode> batch = "event".equals(items.get(0).path("kind").asText()) ? eventRun(items) : items.subList(0, 1);
            Outcome outcome = send(batch);
            try {
                if (outcome.retryAfterMillis >= 0) {
                    retry(outcome.retryAfterMillis);
                    return;
                }
                if (outcome.pause != null) {
                    LOG.severe("journey: " + outcome.pause + "; sending stops until a client is made with another key");
                    synchronized (lock) {
                        paused = outcome.pause;
                    }
                    return;
                }
                queue.ack(outcome.done);
                synchronized (lock) {
                    failures = 0;
                    rejected += outcome.refused;
                    lock.notifyAll();
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "journey: cannot write the queue in " + storage.directory() + "; trying again later", e);
                retry(0);
                return;
            }
        }
    }

    private void retry(long retryAfterMillis) {
        synchronized (lock) {
            failures++;
            long delay = backoffMillis(failures, options.maxBackoff().toMillis(), retryAfterMillis, ThreadLocalRandom.current().nextDouble());
            nextAt = System.nanoTime() + delay * 1_000_000L;
        }
    }

    /**
     * Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform wait between zero and
     * min(max, 1 s · 2^(failures-1)), so clients that failed together do not come back together; never
     * shorter than what the engine asked for with Retry-After.
     */
    static long backoffMillis(int failures, long maxMillis, long retryAfterMillis, double random) {
        long ceiling = maxMillis;
        if (failures <= 31) {
            ceiling = Math.min(maxMillis, BASE_BACKOFF_MILLIS << Math.max(0, failures - 1));
        }
        return Math.max((long) (random * ceiling), retryAfterMillis);
    }

    private static List<ObjectNode> eventRun(List<ObjectNode> items) {
        List<ObjectNode> run = new ArrayList<>();
        long bytes = 0;
        for (ObjectNode item : items) {
            if (!"event".equals(item.path("kind").asText()) || run.size() >= MAX_BATCH) {
                break;
            }
            bytes += item.get("event").toString().getBytes(StandardCharsets.UTF_8).length + 1;
            if (!run.isEmpty() && bytes > MAX_BATCH_BYTES) {
                break;
            }
            run.add(item);
        }
        return run;
    }

    /** What became of one request: retry (retryAfterMillis ≥ 0), pause, or these items are done (sent or refused). */
    private static final class Outcome {
        long retryAfterMillis = -1;
        String pause;
        List<String> done = new ArrayList<>();
        int refused;
    }

    private Outcome send(List<ObjectNode> batch) {
        ObjectNode first = batch.get(0);
        String kind = first.path("kind").asText();
        Outcome outcome = new Outcome();
        Http.Response res;
        try {
            switch (kind) {
                case "event": {
                    ObjectNode body = json.createObjectNode();
                    ArrayNode events = body.putArray("events");
                    batch.forEach(i -> events.add(i.get("event")));
                    res = http.call("POST", "/track", bytes(body));
                    break;
                }
                case "device":
                    res = http.call("POST", "/devices", bytes(first.get("device")));
                    break;
                case "tags": {
                    ObjectNode body = json.createObjectNode();
                    body.set("tags", first.get("tags"));
                    res = http.call("PUT", "/users/" + Http.enc(first.path("userId").asText()) + "/tags", bytes(body));
                    break;
                }
                case "subscription": {
                    ObjectNode body = json.createObjectNode();
                    body.putArray("subscriptions").add(first.get("subscription"));
                    res = http.call("PUT", "/users/" + Http.enc(first.path("userId").asText()) + "/subscriptions", bytes(body));
                    break;
                }
                case "iam":
                    res = http.call("POST", "/inapp/" + Http.enc(first.path("messageId").asText()) + "/" + first.path("action").asText()
                            + "?userId=" + Http.enc(first.path("userId").asText()), first.hasNonNull("detail") ? bytes(first.get("detail")) : null);
                    break;
                case "opened":
                    res = http.call("POST", "/messages/" + Http.enc(first.path("messageId").asText()) + "/opened?userId="
                            + Http.enc(first.path("userId").asText()), null);
                    break;
                default:
                    outcome.done.add(first.path("id").asText()); // written by a later version of this library
                    return outcome;
            }
        } catch (IOException e) {
            LOG.fine("journey: the engine could not be reached (" + e + "); trying again later");
            outcome.retryAfterMillis = 0;
            return outcome;
        }
        if (res.ok()) {
            if ("device".equals(kind)) {
                remember(first);
            }
            batch.forEach(i -> outcome.done.add(i.path("id").asText()));
            return outcome;
        }
        if (res.status == 401 || res.status == 403) {
            outcome.pause = "the engine refused the key (" + res.status + " " + message(res) + ")";
            return outcome;
        }
        if (res.status == 408 || res.status == 429 || res.status >= 500) {
            outcome.retryAfterMillis = retryAfter(res.retryAfter);
            return outcome;
        }
        // Any other 4xx will not get better by sending it again. Of a batch of events, drop only those named.
        if ("event".equals(kind) && res.status == 400) {
            Set<Integer> bad = new LinkedHashSet<>();
            for (JsonNode d : details(res)) {
                Matcher m = EVENT_PATH.matcher(d.path("path").asText());
                if (m.find() && Integer.parseInt(m.group(1)) < batch.size()) {
                    bad.add(Integer.parseInt(m.group(1)));
                }
                LOG.warning("journey: the engine refused " + d.path("path").asText() + ": " + d.path("message").asText());
            }
            if (!bad.isEmpty()) {
                bad.forEach(i -> outcome.done.add(batch.get(i).path("id").asText()));
                outcome.refused = bad.size();
                return outcome;
            }
        }
        if (!(("iam".equals(kind) || "opened".equals(kind)) && res.status == 404)) { // a message that is gone has nothing left to record
            LOG.warning("journey: " + kind + " refused (" + res.status + " " + message(res) + "); dropped");
        }
        batch.forEach(i -> outcome.done.add(i.path("id").asText()));
        outcome.refused = batch.size();
        return outcome;
    }

    /** The device is registered for this user: setUserId registers it again only for another user. */
    private void remember(ObjectNode item) {
        try {
            storage.put("deviceUser", item.path("device").path("userId").asText(""));
        } catch (IOException e) {
            LOG.log(Level.WARNING, "journey: cannot write the state in " + storage.directory(), e);
        }
    }

    private byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private JsonNode details(Http.Response res) {
        try {
            return json.readTree(res.body).path("details");
        } catch (IOException e) {
            return json.createArrayNode();
        }
    }

    private String message(Http.Response res) {
        try {
            return json.readTree(res.body).path("message").asText("");
        } catch (IOException e) {
            return "";
        }
    }

    /** Retry-After in seconds (the engine's form); an HTTP date is not worth a parser here, the backoff covers it. */
    static long retryAfter(String header) {
        if (header == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(header.trim())) * 1000L;
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
