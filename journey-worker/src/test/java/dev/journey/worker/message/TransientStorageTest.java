package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.TestDatabase;
import io.temporal.failure.ApplicationFailure;

/**
 * A database failure while a message is rendered is an outage: the send is tried again and the
 * message is not failed. Only what is wrong with the template itself fails a message.
 */
class TransientStorageTest {
    private final Sql sql = TestDatabase.sql();
    private final SendFixture fixture = new SendFixture();

    @BeforeEach
    void channelAndSnippet() throws Exception {
        fixture.channel(ChannelType.INAPP, "{}");
        sql.update("INSERT INTO snippet (id, project_id, name, source, version) VALUES (?, ?, 'footer', 'See you', 1)",
                "sn_" + UUID.randomUUID(), fixture.project);
    }

    @Test
    void aSnippetTheDatabaseCouldNotGiveIsRetriedNotAFailedMessage() {
        FlakyDataSource db = new FlakyDataSource(TestDatabase.get(), "FROM snippet").failNext(1);
        MessageActivitiesImpl activities = SendFixture.activities(db);
        SendMessage m = fixture.message("inapp", Map.of("title", "Hi", "body", "Thanks. {% render 'footer' %}"));

        ApplicationFailure outage = assertThrows(ApplicationFailure.class, () -> activities.send(m));
        assertEquals("Storage", outage.getType());
        assertTrue(!outage.isNonRetryable(), "Temporal tries it again");
        assertNull(fixture.row(m.messageId()), "nothing recorded: the next attempt renders afresh");

        assertEquals(MessageStatus.SENT, activities.send(m).status(), "the next attempt, with the database back");
        String content = sql.first("SELECT content->>'body' FROM message WHERE id = ?", rs -> rs.getString(1), m.messageId()).orElseThrow();
        assertEquals("Thanks. See you", content);
    }

    @Test
    void aStoredTemplateTheDatabaseCouldNotGiveIsRetriedNotAFailedMessage() {
        String template = "t_" + UUID.randomUUID();
        sql.update("INSERT INTO message_template (id, project_id, name, fields, version) VALUES (?, ?, 'Thanks', ?::jsonb, 1)",
                template, fixture.project, "{\"title\": \"Hi\", \"body\": \"Thanks\"}");
        FlakyDataSource db = new FlakyDataSource(TestDatabase.get(), "FROM message_template").failNext(1);
        MessageActivitiesImpl activities = SendFixture.activities(db);
        SendMessage inline = fixture.message("inapp", null);
        SendMessage m = new SendMessage(inline.messageId(), inline.projectId(), inline.journeyId(), inline.journeyName(),
                inline.journeyVersion(), inline.workflowId(), inline.stepId(), inline.channel(), null, inline.entryEvent(), null, false, template);

        assertEquals("Storage", assertThrows(ApplicationFailure.class, () -> activities.send(m)).getType());
        assertNull(fixture.row(m.messageId()));
        assertEquals(MessageStatus.SENT, activities.send(m).status());
    }

    @Test
    void whatIsWrongWithTheTemplateStillFailsTheMessage() {
        MessageActivitiesImpl activities = SendFixture.activities(TestDatabase.get());
        SendMessage missingSnippet = fixture.message("inapp", Map.of("body", "{% render 'header' %}"));
        assertEquals(MessageStatus.FAILED, activities.send(missingSnippet).status());
        String error = fixture.row(missingSnippet.messageId()).error();
        assertTrue(error.contains("no snippet named 'header'"), error);

        SendMessage missingTemplate = fixture.message("inapp", null);
        SendMessage m = new SendMessage(missingTemplate.messageId(), missingTemplate.projectId(), missingTemplate.journeyId(),
                missingTemplate.journeyName(), missingTemplate.journeyVersion(), missingTemplate.workflowId(), missingTemplate.stepId(),
                "inapp", null, missingTemplate.entryEvent(), null, false, "t_gone");
        assertEquals(MessageStatus.FAILED, activities.send(m).status());
        assertEquals(MessageStatus.FAILED, fixture.row(m.messageId()).status());
    }
}
