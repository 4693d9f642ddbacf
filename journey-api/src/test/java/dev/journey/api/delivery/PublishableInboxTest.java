package dev.journey.api.delivery;

import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/** Issue 12: an app holding a publishable key reads the inbox of the user it names and acts only on that user's messages. */
@QuarkusTest
class PublishableInboxTest {
    @Test
    void aPublishableKeyActsOnlyOnMessagesOfTheUserItNames() {
        TestProject shop = TestProject.create("PublishableInbox");
        TestProject app = shop.newKey("publishable");
        DeliverySupport.channel(shop, Map.of("type", "inapp"));
        String journey = DeliverySupport.journey(shop, "visit", """
                {"id": "banner", "type": "message", "channel": "inapp", "template": {"title": "Hi", "body": "Hello"}, "next": null}""");
        app.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "ann", "type": "visit"}]}""").post(shop.path("/track")).then().statusCode(202);
        String messageId = DeliverySupport.awaitMessage(shop, journey, j -> "sent".equals(j.getString("messages[0].status")))
                .getString("messages[0].id");

        app.api().get(shop.path("/users/ann/inapp")).then().statusCode(200).body("messages[0].messageId", equalTo(messageId));
        // Naming another user, the message is not found (and nothing is recorded for ann).
        app.api().queryParam("userId", "bob").post(shop.path("/inapp/" + messageId + "/clicked")).then().statusCode(404);
        app.api().post(shop.path("/inapp/" + messageId + "/clicked")).then().statusCode(400).body("details[0].path", equalTo("userId"));
        app.api().get(shop.path("/users/ann/inapp")).then().statusCode(200).body("messages.size()", equalTo(1));

        app.api().queryParam("userId", "ann").post(shop.path("/inapp/" + messageId + "/clicked")).then().statusCode(200)
                .body("recorded", equalTo(true));
        app.api().get(shop.path("/users/ann/inapp")).then().statusCode(200).body("messages.size()", equalTo(0));
        // A secret key that names a user is held to it too.
        shop.api().queryParam("userId", "bob").post(shop.path("/inapp/" + messageId + "/closed")).then().statusCode(404);
    }
}
