package dev.journey.worker.message;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.db.TestDatabase;
import dev.journey.worker.event.EntryEvent;

/** A send never hands off text that still holds template delimiters: the message fails, saying where. */
class LeftoverDelimitersSendTest {
    private final SendFixture fixture = new SendFixture();
    private final MessageActivitiesImpl activities = SendFixture.activities(TestDatabase.get());

    @BeforeEach
    void channel() throws Exception {
        fixture.channel(ChannelType.INAPP, "{}");
    }

    /** A message of this fixture whose entry event carries {@code data}. */
    private SendMessage message(Map<String, String> template, Map<String, Object> data) {
        SendMessage m = fixture.message("inapp", template);
        EntryEvent entry = new EntryEvent(1, "e1", "order", "user", "ann", data, Instant.parse("2026-03-02T12:00:00Z").toString());
        return new SendMessage(m.messageId(), m.projectId(), m.journeyId(), m.journeyName(), m.journeyVersion(), m.workflowId(), m.stepId(),
                m.channel(), template, entry, null, false, null);
    }

    @Test
    void dataThatRendersDelimitersFailsTheMessageWithTheReason() {
        SendMessage m = message(Map.of("body", "<< entry_event.data.note >>"), Map.of("note", "{{ first_name }}, your order"));
        assertEquals(MessageStatus.FAILED, activities.send(m).status());
        assertEquals("template field body (line 1, column 1): the rendered body still holds template delimiters at line 1, column 1:"
                + " {{ first_name }}, your order", fixture.row(m.messageId()).error());
    }

    @Test
    void aTemplateWithAnUnreadableAngleOutputFailsInsteadOfSendingItAsText() {
        SendMessage m = message(Map.of("body", "Hi << entry_event.data.name | default \"you\" >>"), Map.of());
        assertEquals(MessageStatus.FAILED, activities.send(m).status());
        String error = fixture.row(m.messageId()).error();
        assertEquals("template field body (line 1, column 4): line 1, column 4: << entry_event.data.name | default \"you\" >> is not a Liquid"
                + " output (a variable or a value, then filters such as | default: 'x') and would be sent as written; to send it as text,"
                + " write it inside {% raw %}…{% endraw %}", error);
    }

    @Test
    void rawDelimitersAndNamesInAnyScriptAreSent() {
        SendMessage m = message(Map.of("body", "<< entry_event.data.이름 | default: \"고객\" >>님, {% raw %}<< 코드 >>{% endraw %}"),
                Map.of("이름", "민수"));
        assertEquals(MessageStatus.SENT, activities.send(m).status());
        assertEquals(null, fixture.row(m.messageId()).error());
    }
}
