package dev.journey.sdk;

import java.io.Closeable;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The storage directory besides the queue: a lock (one client per directory, or two would send and
 * acknowledge the same items), and {@code state.json} — the device id, the current user, the device's
 * last registration — replaced atomically on every change.
 */
final class Storage implements Closeable {
    private final Path directory;
    private final ObjectMapper json;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private ObjectNode state;

    Storage(Path directory, ObjectMapper json) throws IOException {
        this.directory = directory;
        this.json = json;
        Files.createDirectories(directory);
        lockChannel = FileChannel.open(directory.resolve("journey.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock held;
        try {
            held = lockChannel.tryLock();
        } catch (OverlappingFileLockException e) {
            held = null;
        }
        if (held == null) {
            lockChannel.close();
            throw new IllegalStateException("the storage directory " + directory
                    + " is used by another Journey client; close it first or give each client its own directory");
        }
        lock = held;
        try {
            state = read(directory.resolve("state.json"));
            if (!state.hasNonNull("deviceId")) {
                state.put("deviceId", UUID.randomUUID().toString());
                save();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    private ObjectNode read(Path file) {
        if (Files.exists(file)) {
            try {
                JsonNode read = json.readTree(file.toFile());
                if (read instanceof ObjectNode) {
                    return (ObjectNode) read;
                }
            } catch (IOException e) {
                // Written by rename only, so unreadable means damaged from outside: start again (a new device to the engine).
            }
        }
        return json.createObjectNode();
    }

    Path directory() {
        return directory;
    }

    synchronized String get(String name) {
        JsonNode v = state.get(name);
        return v == null || v.isNull() ? null : v.asText();
    }

    synchronized void put(String name, String value) throws IOException {
        ObjectNode next = state.deepCopy();
        if (value == null) {
            next.remove(name);
        } else {
            next.put(name, value);
        }
        ObjectNode previous = state;
        state = next;
        try {
            save();
        } catch (IOException e) {
            state = previous;
            throw e;
        }
    }

    private void save() throws IOException {
        Path tmp = directory.resolve("state.json.tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            out.write(java.nio.ByteBuffer.wrap(json.writeValueAsString(state).getBytes(StandardCharsets.UTF_8)));
            out.force(true);
        }
        try {
            Files.move(tmp, directory.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, directory.resolve("state.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        syncDirectory(directory);
    }

    /** Makes a rename durable where the platform allows opening a directory (Linux, Android); elsewhere a no-op. */
    static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | RuntimeException e) {
            // Windows cannot open a directory: the rename is as durable as the platform makes it.
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            lockChannel.close();
        }
    }
}
