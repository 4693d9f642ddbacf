package dev.journey.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What is still to be sent, in one append-only file ({@code queue.log} in the storage directory), one JSON
 * line per change: {@code {"add": item}} or {@code {"ack": [ids]}}. Every line is forced to disk before
 * {@link #add} or {@link #ack} returns, so a process killed at any moment loses nothing it was told was
 * queued; a line torn by the kill is the last one and is ignored when the file is read again. Items keep
 * their ids (and events their eventId) across restarts, which is what makes resending them harmless.
 *
 * <p>Bounded: beyond {@code maxItems} the oldest item is dropped to make room and counted
 * ({@link #dropped()}) — the newest data is what an app most likely still needs, and the Web SDK does the same.
 * The file is rewritten with only the pending items when acknowledged lines outnumber them.
 *
 * <p>Thread-safe (every method is synchronized). One process at a time per directory: the client holds a
 * file lock (see {@link JourneyClient}).
 */
final class DiskQueue implements Closeable {
    private static final Logger LOG = Logger.getLogger(DiskQueue.class.getName());
    static final String FILE = "queue.log";

    private final Path file;
    private final ObjectMapper json;
    private final int maxItems;
    private final LinkedHashMap<String, ObjectNode> pending = new LinkedHashMap<>();
    private FileChannel channel;
    private long lines;
    private long dropped;

    DiskQueue(Path directory, ObjectMapper json, int maxItems) throws IOException {
        this.file = directory.resolve(FILE);
        this.json = json;
        this.maxItems = maxItems;
        boolean torn = false;
        if (Files.exists(file)) {
            torn = replay();
        }
        if (torn || lines > 2L * pending.size() + 16) {
            compact();
        } else {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
    }

    /** Reads the log; true when its end was torn (a kill or power loss in the middle of a write). */
    private boolean replay() throws IOException {
        String[] parts = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i == parts.length - 1) {
                // What follows the last newline was never completely written: never reported as queued.
                return !parts[i].isEmpty();
            }
            JsonNode node;
            try {
                node = json.readTree(parts[i]);
            } catch (IOException e) {
                node = null;
            }
            if (node == null || !node.isObject()) {
                // Only the last append can be torn (a torn end is compacted away on opening): this is outside damage.
                LOG.warning("journey: skipping an unreadable line " + (i + 1) + " of " + file);
                continue;
            }
            apply(node);
            lines++;
        }
        return false;
    }

    private void apply(JsonNode line) {
        if (line.has("add")) {
            ObjectNode item = (ObjectNode) line.get("add");
            pending.put(item.path("id").asText(), item);
        } else if (line.has("ack")) {
            for (JsonNode id : line.get("ack")) {
                pending.remove(id.asText());
            }
        }
    }

    /** Queues an item that has an "id"; when full, the oldest items go first. Durable when this returns. */
    synchronized void add(ObjectNode item) throws IOException {
        List<String> evicted = new ArrayList<>();
        Iterator<String> oldest = pending.keySet().iterator();
        while (pending.size() - evicted.size() >= maxItems && oldest.hasNext()) {
            evicted.add(oldest.next());
        }
        if (!evicted.isEmpty()) {
            LOG.warning("journey: the queue is full (" + maxItems + " items); dropping the oldest " + evicted.size());
            ack(evicted);
            dropped += evicted.size();
        }
        ObjectNode line = json.createObjectNode();
        line.set("add", item);
        append(line);
        pending.put(item.get("id").asText(), item);
    }

    /** Forgets items (sent, refused for good, or dropped). */
    synchronized void ack(Collection<String> ids) throws IOException {
        if (ids.isEmpty()) {
            return;
        }
        ObjectNode line = json.createObjectNode();
        ArrayNode list = line.putArray("ack");
        ids.forEach(list::add);
        append(line);
        ids.forEach(pending::remove);
        if (lines > 2L * pending.size() + 1024) {
            compact();
        }
    }

    /** The pending items, oldest first (copies of the references: items are never changed once queued). */
    synchronized List<ObjectNode> items() {
        return new ArrayList<>(pending.values());
    }

    synchronized int size() {
        return pending.size();
    }

    /** Items dropped because the queue was full, since this queue was opened. */
    synchronized long dropped() {
        return dropped;
    }

    private void append(JsonNode line) throws IOException {
        byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        channel.force(false);
        lines++;
    }

    /** Rewrites the log as the pending items alone: a new file made durable, then renamed over the old one. */
    private void compact() throws IOException {
        if (channel != null) {
            channel.close();
        }
        Path tmp = file.resolveSibling(FILE + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            StringBuilder text = new StringBuilder();
            for (Map.Entry<String, ObjectNode> e : pending.entrySet()) {
                ObjectNode line = json.createObjectNode();
                line.set("add", e.getValue());
                text.append(json.writeValueAsString(line)).append('\n');
            }
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        Storage.syncDirectory(file.getParent());
        lines = pending.size();
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
