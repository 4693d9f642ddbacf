package dev.journey.api.project;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Timestamp;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import dev.journey.worker.db.Sql;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** Issue 12: keys with scopes, managed through the API; revocation takes effect at once. */
@QuarkusTest
class ApiKeysTest {
    private static final String TRACK = """
            {"events": [{"subjectType": "user", "subjectId": "u1", "type": "visit"}]}""";

    @Inject
    Sql sql;
    @Inject
    KeyUsage usage;

    @Test
    void aPublishableKeyTracksSetsTagsRegistersDevicesAndReadsTheInboxAndNothingElse() {
        TestProject shop = TestProject.create("Scopes");
        TestProject web = shop.newKey("publishable");
        assertTrue(web.key().startsWith("jpk_"), web.key());

        web.api().body(TRACK).post(shop.path("/track")).then().statusCode(202);
        web.api().body(Map.of("deviceId", "d1", "userId", "u1", "platform", "web")).post(shop.path("/devices")).then().statusCode(201);
        web.api().get(shop.path("/users/u1/inapp")).then().statusCode(200).body("messages.size()", equalTo(0));
        web.api().queryParam("userId", "u1").post(shop.path("/inapp/msg_none/clicked")).then().statusCode(404);
        // Issue 14: the Web SDK's setTags — a publishable key sets the tags of the user it names.
        web.api().body(Map.of("tags", Map.of("tier", "gold"))).put(shop.path("/users/u1/tags")).then().statusCode(200);

        List<Response> refused = List.of(
                web.api().get(shop.path("/events")),
                web.api().get(shop.path("/users/u1")),
                web.api().get(shop.path("/journeys")),
                web.api().body(Map.of("type", "webhook", "url", "http://localhost:1/h", "secret", "0123456789abcdef0123")).post(shop.path("/channels")),
                web.api().get(shop.path("/channels")),
                web.api().get(shop.path("/messages")),
                web.api().get(shop.path("/segments")),
                web.api().get(shop.path("/event-types")),
                web.api().get(shop.path("/delivery-settings")),
                web.api().get(shop.path("/dispatch")),
                web.api().body(Map.of("template", Map.of("body", "x"))).post(shop.path("/templates/preview")),
                web.api().get(shop.path("/api-keys")),
                web.api().body(Map.of("name", "mine", "scope", "secret")).post(shop.path("/api-keys")));
        for (Response r : refused) {
            r.then().statusCode(403).body("error", equalTo("forbidden"))
                    .body("message", equalTo("a publishable key can only track events, set user tags and subscriptions, register devices and use the in-app inbox; use a secret key"));
        }
        // The events the publishable key sent are there, read with the secret key.
        shop.api().queryParam("userId", "u1").get(shop.path("/events")).then().statusCode(200).body("events.type", hasItem("visit"));
    }

    @Test
    void anInAppActionWithAPublishableKeyMustNameTheUser() {
        TestProject shop = TestProject.create("Inbox");
        TestProject web = shop.newKey("publishable");
        web.api().post(shop.path("/inapp/msg_x/displayed")).then().statusCode(400).body("details[0].path", equalTo("userId"));
        // A secret key may still omit it, as before.
        shop.api().post(shop.path("/inapp/msg_x/displayed")).then().statusCode(404);
    }

    @Test
    void keysAreCreatedListedWithoutTheirSecretRotatedAndRevoked() {
        TestProject shop = TestProject.create("Manage");
        JsonPath created = shop.api().body(Map.of("name", "web", "scope", "publishable")).post(shop.path("/api-keys"))
                .then().statusCode(201).body("scope", equalTo("publishable")).body("name", equalTo("web"))
                .body("lastUsedAt", nullValue()).extract().jsonPath();
        String key = created.getString("key");
        String id = created.getString("id");
        assertEquals(key.substring(0, 8), created.getString("prefix"));

        String listed = shop.api().get(shop.path("/api-keys")).then().statusCode(200)
                .body("name", hasItem("web")).body("name", hasItem("default")).body("scope", hasItem("secret"))
                .extract().asString();
        assertFalse(listed.contains(key), "the list never shows a key");
        assertFalse(listed.contains("\"key\""), listed);
        assertFalse(listed.contains("hash"), listed);
        // Paged like every list bounded by a quota.
        shop.api().queryParam("limit", 1).get(shop.path("/api-keys")).then().statusCode(200).body("size()", equalTo(1))
                .header("X-Next-Cursor", notNullValue());

        JsonPath rotated = shop.api().post(shop.path("/api-keys/" + id + "/rotate")).then().statusCode(201)
                .body("name", equalTo("web")).body("scope", equalTo("publishable")).body("replaced.id", equalTo(id))
                .extract().jsonPath();
        String newKey = rotated.getString("key");
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key).body(TRACK).post(shop.path("/track"))
                .then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + newKey).body(TRACK).post(shop.path("/track"))
                .then().statusCode(202);
        shop.api().get(shop.path("/api-keys")).then().body("id", not(hasItem(id))).body("id", hasItem(rotated.getString("id")));

        shop.api().delete(shop.path("/api-keys/" + rotated.getString("id"))).then().statusCode(204);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + newKey).body(TRACK).post(shop.path("/track"))
                .then().statusCode(401).body("message", startsWith("the API key"));
        shop.api().delete(shop.path("/api-keys/" + rotated.getString("id"))).then().statusCode(404);
    }

    @Test
    void aRevokedKeyIsRefusedAtOnceEvenRightAfterItWasCached() {
        TestProject shop = TestProject.create("Revoke");
        TestProject second = shop.newKey("secret");
        second.api().get(shop.path("/events")).then().statusCode(200); // now cached
        String id = shop.api().get(shop.path("/api-keys")).then().extract().jsonPath()
                .getString("find { it.name == 'secret key' }.id");
        shop.api().delete(shop.path("/api-keys/" + id)).then().statusCode(204);
        second.api().get(shop.path("/events")).then().statusCode(401);
    }

    @Test
    void aRotationMayLeaveTheOldKeyWorkingForAGracePeriod() {
        TestProject shop = TestProject.create("Grace");
        String id = shop.api().get(shop.path("/api-keys")).then().extract().path("[0].id");
        JsonPath rotated = shop.api().body(Map.of("expiresIn", "PT1H")).post(shop.path("/api-keys/" + id + "/rotate"))
                .then().statusCode(201).body("replaced.revokedAt", notNullValue()).extract().jsonPath();
        shop.api().get(shop.path("/events")).then().statusCode(200);
        shop.api().get(shop.path("/api-keys")).then().body("find { it.id == '" + id + "' }.expiresAt", notNullValue());
        TestProject renewed = new TestProject(shop.id(), rotated.getString("key"));
        renewed.api().get(shop.path("/events")).then().statusCode(200);
        renewed.api().body(Map.of("expiresIn", "P30D")).post(shop.path("/api-keys/" + rotated.getString("id") + "/rotate"))
                .then().statusCode(400).body("details[0].path", equalTo("expiresIn"));
        renewed.api().body(Map.of("expiresIn", "soon")).post(shop.path("/api-keys/" + rotated.getString("id") + "/rotate"))
                .then().statusCode(400).body("details[0].path", equalTo("expiresIn"));
    }

    @Test
    void theLastSecretKeyCannotBeRevoked() {
        TestProject shop = TestProject.create("Last");
        String id = shop.api().get(shop.path("/api-keys")).then().extract().path("[0].id");
        shop.newKey("publishable");
        shop.api().delete(shop.path("/api-keys/" + id)).then().statusCode(409).body("error", equalTo("conflict"));
        shop.api().get(shop.path("/events")).then().statusCode(200);
    }

    @Test
    void theAdminTokenManagesAnyProjectsKeysAndAnotherProjectsKeyNone() {
        TestProject shop = TestProject.create("AdminKeys");
        TestProject other = TestProject.create("Other");
        given().header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN).get(shop.path("/api-keys")).then().statusCode(200)
                .body("size()", equalTo(1));
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN)
                .body(Map.of("name", "ops", "scope", "secret")).post(shop.path("/api-keys")).then().statusCode(201);
        given().header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN).get("/v1/projects/no-such-project/api-keys")
                .then().statusCode(404);
        other.api().get(shop.path("/api-keys")).then().statusCode(403);
        // The admin token is not a project key anywhere else.
        given().header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN).get(shop.path("/events")).then().statusCode(401);
    }

    @Test
    void invalidKeyRequestsNameTheField() {
        TestProject shop = TestProject.create("Invalid");
        shop.api().body(Map.of("scope", "publishable")).post(shop.path("/api-keys")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        shop.api().body(Map.of("name", "x", "scope", "public")).post(shop.path("/api-keys")).then().statusCode(400)
                .body("details[0].path", equalTo("scope"));
        shop.api().body(Map.of("name", "x".repeat(101), "scope", "secret")).post(shop.path("/api-keys")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        shop.api().body("[]").post(shop.path("/api-keys")).then().statusCode(400);
        shop.api().body(Map.of("name", "a\u0000b", "scope", "secret")).post(shop.path("/api-keys")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        shop.api().post(shop.path("/api-keys/key_unknown/rotate")).then().statusCode(404);
    }

    @Test
    void aProjectHoldsABoundedNumberOfKeys() {
        TestProject shop = TestProject.create("Quota");
        for (int i = 1; i < ProjectQuota.API_KEYS.max(); i++) {
            shop.api().body(Map.of("name", "k" + i, "scope", "publishable")).post(shop.path("/api-keys")).then().statusCode(201);
        }
        shop.api().body(Map.of("name", "one too many", "scope", "publishable")).post(shop.path("/api-keys")).then().statusCode(422);
    }

    @Test
    void publishableKeysAreRateLimitedPerKeyWithRetryAfter() {
        TestProject shop = TestProject.create("Rate");
        TestProject web = shop.newKey("publishable");
        TestProject app = shop.newKey("publishable");
        Response last = null;
        for (int i = 0; i < 200 && (last == null || last.statusCode() != 429); i++) {
            last = web.api().body(TRACK).post(shop.path("/track"));
        }
        last.then().statusCode(429).body("error", equalTo("rate_limited")).header("Retry-After", notNullValue());
        assertTrue(Integer.parseInt(last.header("Retry-After")) >= 1);
        app.api().body(TRACK).post(shop.path("/track")).then().statusCode(202); // another key has its own bucket
        shop.api().body(TRACK).post(shop.path("/track")).then().statusCode(202); // secret keys are not limited here
    }

    @Test
    void lastUsedAtIsKnownAtOnceButWrittenInBatches() {
        TestProject shop = TestProject.create("LastUsed");
        shop.api().get(shop.path("/events")).then().statusCode(200);
        shop.api().get(shop.path("/api-keys")).then().body("[0].lastUsedAt", notNullValue());
        assertNull(storedLastUse(shop.id()), "a request does not write last_used_at");
        usage.flush();
        assertNotNull(storedLastUse(shop.id()));
    }

    private Timestamp storedLastUse(String projectId) {
        return sql.list("SELECT last_used_at FROM api_key WHERE project_id = ?", rs -> rs.getTimestamp(1), projectId).get(0);
    }
}
