package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.journey.worker.db.Keyset;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.event.EntryEvent;

/** The message table through its one store: recording once, holds, caps, hand-off outcomes, engagement, the log and stats. */
class MessageStoreTest {
    private static final Instant NOON = Instant.parse("2026-03-02T12:00:00Z");

    private final Sql sql = TestDatabase.sql();
    private final MessageStore messages = new MessageStore(sql);
    private final String project = "p_" + UUID.randomUUID();
    private final String journey = "j_" + UUID.randomUUID();

    @Test
    void aMessageIsRecordedOnceAndKeepsItsFirstContent() {
        SendMessage m = message("m1", "ann", "push", false);
        MessageStore.Recorded first = messages.recordOnce(m, "{\"title\": \"Hi\"}", MessageStatus.QUEUED, null);
        MessageStore.Recorded again = messages.recordOnce(m, "{\"title\": \"Other\"}", MessageStatus.FAILED, "late");
        assertEquals(new MessageStore.Recorded(MessageStatus.QUEUED, "{\"title\": \"Hi\"}", 0, false, "{}"), first);
        assertEquals(first, again);
        assertEquals(first, messages.find(m.messageId()).orElseThrow());
        assertTrue(messages.find(project + "/none").isEmpty());
        assertEquals("queued", sql.first("SELECT status FROM message WHERE id = ?", rs -> rs.getString(1), m.messageId()).orElseThrow(),
                "stored as the lowercase word");
    }

    @Test
    void aHeldMessageIsAdmittedLaterAndACapFullStopsTheNext() {
        List<DeliverySettings.Cap> oneAPushADay = List.of(new DeliverySettings.Cap("push", 1, "P1D"));
        SendMessage first = message("a", "bob", "push", false);
        messages.recordOnce(first, "{}", MessageStatus.QUEUED, null);
        messages.hold(first.messageId(), NOON.plus(Duration.ofHours(8)));
        assertEquals(MessageStatus.HELD, messages.find(first.messageId()).orElseThrow().status());
        assertEquals(MessageStatus.QUEUED, messages.admit(first, NOON, oneAPushADay));
        assertTrue(messages.find(first.messageId()).orElseThrow().admitted());
        assertEquals(MessageStatus.QUEUED, messages.admit(first, NOON, oneAPushADay), "admitting again changes nothing");

        SendMessage second = message("b", "bob", "push", false);
        messages.recordOnce(second, "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.CAPPED, messages.admit(second, NOON.plusSeconds(60), oneAPushADay));
        assertEquals("frequency cap: at most 1 push message(s) per PT24H for this user; 1 already",
                sql.first("SELECT last_error FROM message WHERE id = ?", rs -> rs.getString(1), second.messageId()).orElseThrow());

        SendMessage email = message("c", "bob", "email", false);
        messages.recordOnce(email, "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.QUEUED, messages.admit(email, NOON.plusSeconds(60), oneAPushADay), "another channel's cap");
        SendMessage receipt = message("d", "bob", "push", true);
        messages.recordOnce(receipt, "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.QUEUED, messages.admit(receipt, NOON.plusSeconds(60), oneAPushADay), "transactional: never capped");
        SendMessage tomorrow = message("e", "bob", "push", false);
        messages.recordOnce(tomorrow, "{}", MessageStatus.QUEUED, null);
        assertEquals(MessageStatus.QUEUED, messages.admit(tomorrow, NOON.plus(Duration.ofDays(1)).plusSeconds(1), oneAPushADay));
    }

    @Test
    void withoutACapThatCountsItAMessageIsAdmittedOnceAndAFinishedOneIsNot() {
        SendMessage held = message("u", "uma", "webhook", false);
        messages.recordOnce(held, "{}", MessageStatus.QUEUED, null);
        messages.hold(held.messageId(), NOON.plus(Duration.ofHours(8)));
        assertEquals(MessageStatus.QUEUED, messages.admit(held, NOON, List.of()));
        assertTrue(messages.find(held.messageId()).orElseThrow().admitted());
        assertTrue(sql.first("SELECT held_until IS NULL FROM message WHERE id = ?", rs -> rs.getBoolean(1), held.messageId()).orElseThrow(),
                "no longer held");
        messages.sent(held.messageId(), "{}");
        assertEquals(MessageStatus.SENT, messages.admit(held, NOON.plusSeconds(60), List.of()), "admitting again changes nothing");

        SendMessage failed = message("v", "uma", "webhook", false);
        messages.recordOnce(failed, "{}", MessageStatus.FAILED, "no template");
        assertEquals(MessageStatus.FAILED, messages.admit(failed, NOON, List.of()));
        assertFalse(messages.find(failed.messageId()).orElseThrow().admitted());
    }

    @Test
    void outcomesOfAHandOffAndASentMessageStaysSent() {
        SendMessage m = message("s", "cy", "push", false);
        messages.recordOnce(m, "{}", MessageStatus.QUEUED, null);
        assertTrue(messages.claim(m.messageId(), "a1", Duration.ofSeconds(30), true).isPresent());
        messages.tokenDone(m.messageId(), "d1", "sent");
        messages.tokenDone(m.messageId(), "d2", "failed: gone");
        messages.retrying(m.messageId(), "HTTP 503");
        messages.sent(m.messageId(), "{\"devices\": 1}");
        messages.failed(m.messageId(), "too late");
        MessageStore.Recorded r = messages.find(m.messageId()).orElseThrow();
        assertEquals(MessageStatus.SENT, r.status());
        assertEquals(1, r.attempts());
        assertTrue(r.delivery().contains("\"d1\": \"sent\"") && r.delivery().contains("\"devices\": 1"), r.delivery());

        SendMessage lost = message("f", "cy", "sms", false);
        messages.recordOnce(lost, "{}", MessageStatus.QUEUED, null);
        messages.failed(lost.messageId(), "the SMS needs 3 segments", "{\"segments\": 3}");
        MessageStore.Entry entry = messages.list(project, new MessageStore.Filter(null, null, MessageStatus.FAILED, null, false), null, 10)
                .items().get(0);
        assertEquals("the SMS needs 3 segments", entry.error());
        assertEquals("{\"segments\": 3}", entry.delivery());
    }

    @Test
    void oneAttemptAtATimeHoldsAQueuedMessage() {
        SendMessage m = message("l", "cy", "webhook", false);
        messages.recordOnce(m, "{}", MessageStatus.QUEUED, null);
        assertTrue(messages.claim(m.messageId(), "a1", Duration.ofSeconds(30), false).isPresent());
        assertFalse(messages.claim(m.messageId(), "a2", Duration.ofSeconds(30), false).isPresent(), "a2 waits while a1's lease runs");
        messages.release(m.messageId(), "a2");
        assertFalse(messages.claim(m.messageId(), "a2", Duration.ofSeconds(30), false).isPresent(), "only its holder gives a lease back");
        messages.release(m.messageId(), "a1");
        assertTrue(messages.claim(m.messageId(), "a2", Duration.ofSeconds(-1), false).isPresent(), "given back: the next attempt takes it");
        assertTrue(messages.claim(m.messageId(), "a3", Duration.ofSeconds(30), false).isPresent(), "a lease that ran out is taken over");
        messages.sent(m.messageId(), "{}");
        messages.release(m.messageId(), "a3");
        assertFalse(messages.claim(m.messageId(), "a4", Duration.ofSeconds(30), false).isPresent(), "a sent message is never claimed again");
        assertEquals(0, messages.find(m.messageId()).orElseThrow().attempts(), "a claim is not an attempt at the provider");
    }

    @Test
    void aProcessThatIsTheOnlySenderTakesOverTheLeasesOfItsCrashedRunAtOnce() {
        SendMessage m = message("r", "dora", "webhook", false);
        messages.recordOnce(m, "{}", MessageStatus.QUEUED, null);
        assertTrue(messages.claim(m.messageId(), "crashed-run", Duration.ofSeconds(30), false).isPresent());
        assertTrue(messages.releaseEveryLease() >= 1);
        assertTrue(messages.claim(m.messageId(), "this-run", Duration.ofSeconds(30), false).isPresent(), "no wait for the dead run's lease");
    }

    @Test
    void inAppEngagementAndTheInbox() {
        SendMessage m = message("i", "dee", "inapp", false);
        messages.recordOnce(m, "{\"title\": \"Sale\"}", MessageStatus.QUEUED, null);
        messages.sent(m.messageId(), "{}");
        assertEquals(List.of(m.messageId()), messages.inbox(project, "dee", 100).stream().map(MessageStore.InboxEntry::messageId).toList());
        MessageStore.Summary s = messages.summary(project, m.messageId()).orElseThrow();
        assertEquals(new MessageStore.Summary(m.messageId(), journey, "i", "user", "dee", "inapp", MessageStatus.SENT), s);
        assertTrue(messages.summary("other", m.messageId()).isEmpty());

        messages.interacted(project, m.messageId(), MessageStore.Interaction.DISPLAYED);
        MessageStore.InboxEntry shown = messages.inbox(project, "dee", 100).get(0);
        assertNotNull(shown.displayedAt(), "a displayed message stays in the inbox");
        messages.interacted(project, m.messageId(), MessageStore.Interaction.CLICKED);
        assertTrue(messages.inbox(project, "dee", 100).isEmpty());
        assertEquals(MessageStatus.CLICKED, messages.summary(project, m.messageId()).orElseThrow().status());
        messages.interacted(project, m.messageId(), MessageStore.Interaction.DISPLAYED);
        assertEquals(shown.displayedAt(), sql.first("SELECT displayed_at FROM message WHERE id = ?", rs -> Sql.instant(rs, "displayed_at"),
                m.messageId()).orElseThrow(), "only the first time is recorded");
    }

    @Test
    void theLogPagesNewestFirstWithItsFilters() {
        for (String step : List.of("a", "b", "c")) {
            messages.recordOnce(message(step, "eve", "email", false), "{}", MessageStatus.QUEUED, null);
        }
        messages.recordOnce(message("d", "fay", "sms", false), "{}", MessageStatus.QUEUED, null);
        Keyset.Page<MessageStore.Entry> first = messages.list(project, new MessageStore.Filter(null, null, null, null, false), null, 3);
        assertEquals(3, first.items().size());
        assertNotNull(first.next());
        Keyset.Page<MessageStore.Entry> rest = messages.list(project, new MessageStore.Filter(null, null, null, null, false), first.next(), 3);
        assertEquals(1, rest.items().size());
        assertNull(rest.next());
        assertEquals(3, messages.list(project, new MessageStore.Filter("eve", journey, MessageStatus.QUEUED, "email", false), null, 10).items().size());
        assertEquals(List.of(id("d", "fay")), messages.list(project, new MessageStore.Filter(null, null, null, "sms", false), null, 10)
                .items().stream().map(MessageStore.Entry::id).toList());
        MessageStore.Entry e = rest.items().get(0);
        assertEquals(1, e.journeyVersion());
        assertNull(e.sentAt());
        assertFalse(e.transactional());
    }

    @Test
    void countsByStepAndStatus() {
        messages.recordOnce(message("a", "gus", "email", false), "{}", MessageStatus.QUEUED, null);
        messages.recordOnce(message("a", "hal", "email", false), "{}", MessageStatus.QUEUED, null);
        messages.recordOnce(message("a", "ida", "email", false), "{}", MessageStatus.FAILED, "no template");
        messages.recordOnce(message("b", "gus", "sms", false), "{}", MessageStatus.QUEUED, null);
        messages.sent(id("b", "gus"), "{}");
        assertEquals(List.of(new MessageStore.StepCount("a", MessageStatus.FAILED, 1), new MessageStore.StepCount("a", MessageStatus.QUEUED, 2),
                new MessageStore.StepCount("b", MessageStatus.SENT, 1)), messages.countsByStep(journey));
        assertTrue(messages.countsByStep("j_none").isEmpty());
    }

    private SendMessage message(String step, String user, String channel, boolean transactional) {
        EntryEvent entry = new EntryEvent(1, "e1", "order", "user", user, Map.of(), NOON.toString());
        return new SendMessage(id(step, user), project, journey, "Journey", 1, "wf-" + user, step, channel, Map.of("title", "x"), entry,
                null, transactional, null);
    }

    private String id(String step, String user) {
        return project + "/" + user + "/" + step;
    }
}
