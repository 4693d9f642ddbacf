package dev.journey.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class DiskQueueTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void whatWasAddedAndNotAcknowledgedIsThereAfterAReopenInOrder() throws IOException {
        DiskQueue q = new DiskQueue(dir, JSON, 100);
        for (int i = 0; i < 5; i++) {
            q.add(item("i" + i));
        }
        q.ack(List.of("i1", "i3"));
        // No close: as after a kill, only what add and ack forced to disk counts.
        DiskQueue reopened = new DiskQueue(dir, JSON, 100);
        assertEquals(List.of("i0", "i2", "i4"), ids(reopened));
        reopened.close();
        q.close();
    }

    @Test
    void aTornLastLineIsIgnoredAndLaterAppendsReadBackWhole() throws IOException {
        DiskQueue q = new DiskQueue(dir, JSON, 100);
        q.add(item("a"));
        q.add(item("b"));
        q.close();
        // A kill in the middle of an append: half a line, no newline.
        Files.write(dir.resolve(DiskQueue.FILE), "{\"add\":{\"kind\":\"event\",\"id\":\"c".getBytes(StandardCharsets.UTF_8),
                StandardOpenOption.APPEND);
        DiskQueue reopened = new DiskQueue(dir, JSON, 100);
        assertEquals(List.of("a", "b"), ids(reopened));
        reopened.add(item("d"));
        reopened.ack(List.of("a"));
        reopened.close();
        DiskQueue again = new DiskQueue(dir, JSON, 100);
        assertEquals(List.of("b", "d"), ids(again));
        again.close();
    }

    @Test
    void aFullQueueDropsItsOldestItemsAndCountsThem() throws IOException {
        DiskQueue q = new DiskQueue(dir, JSON, 3);
        for (int i = 0; i < 5; i++) {
            q.add(item("i" + i));
        }
        assertEquals(List.of("i2", "i3", "i4"), ids(q));
        assertEquals(2, q.dropped());
        q.close();
        DiskQueue reopened = new DiskQueue(dir, JSON, 3);
        assertEquals(List.of("i2", "i3", "i4"), ids(reopened), "the drops were on disk too");
        reopened.close();
    }

    @Test
    void theLogIsCompactedOnceAcknowledgementsOutnumberThePendingItems() throws IOException {
        DiskQueue q = new DiskQueue(dir, JSON, 10_000);
        for (int i = 0; i < 1200; i++) {
            q.add(item("i" + i));
            if (i > 0) {
                q.ack(List.of("i" + (i - 1)));
            }
        }
        long lines = Files.readAllLines(dir.resolve(DiskQueue.FILE)).size();
        assertEquals(List.of("i1199"), ids(q));
        assertEquals(true, lines < 1200, "compacted: " + lines + " lines");
        q.close();
        DiskQueue reopened = new DiskQueue(dir, JSON, 10_000);
        assertEquals(List.of("i1199"), ids(reopened));
        reopened.close();
    }

    private static ObjectNode item(String id) {
        ObjectNode item = JSON.createObjectNode();
        item.put("kind", "event");
        item.put("id", id);
        return item;
    }

    private static List<String> ids(DiskQueue q) {
        return q.items().stream().map(i -> i.get("id").asText()).collect(Collectors.toList());
    }
}
