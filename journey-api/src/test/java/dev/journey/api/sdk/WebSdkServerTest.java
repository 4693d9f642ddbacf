package dev.journey.api.sdk;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 14, the engine's side of the Web SDK without a browser: the served files are src/sdk/web's (and the
 * script-tag build is the ES module's code), sendBeacon's way in (a publishable key as ?key=, a text/plain body)
 * works for track only and never for a secret key, and CORS answers on the SDK's endpoints only.
 */
@QuarkusTest
class WebSdkServerTest {
    private static final Path SDK = Path.of("..", "src", "sdk", "web");

    @Test
    void theSdkIsServedAtItsVersionedPathAndIsTheRepositorysCode() throws Exception {
        String module = Files.readString(SDK.resolve("journey.mjs"));
        String script = Files.readString(SDK.resolve("dist/journey.js"));
        String servedModule = given().get("/sdk/web/v1/journey.mjs").then().statusCode(200)
                .contentType(containsString("text/javascript")).header("Cache-Control", containsString("max-age"))
                .extract().asString();
        String servedScript = given().get("/sdk/web/v1/journey.js").then().statusCode(200)
                .contentType(containsString("text/javascript")).extract().asString();
        assertEquals(module, servedModule);
        assertEquals(script, servedScript);
        // dist/journey.js is build.mjs's output for this journey.mjs: the module's code without its export keywords.
        String body = module.replaceAll("(?m)^export \\{[^}]*\\};\\n", "").replaceAll("(?m)^export ", "");
        assertTrue(script.contains(body), "dist/journey.js is stale: run `node build.mjs` in src/sdk/web");
        assertTrue(script.contains("window.Journey = { init, setUserId, trackEvent, setTags, setSubscription, pushOpened, logout, flush, getDeviceId"), script);
        given().get("/sdk/web/v1/other.js").then().statusCode(404);
    }

    @Test
    void aBeaconCarriesAPublishableKeyAsAQueryParameterNeverASecretOne() {
        TestProject shop = TestProject.create("Beacon");
        TestProject web = shop.newKey("publishable");
        String events = """
                {"events": [{"eventId": "e-1", "subjectType": "device", "subjectId": "web_1", "type": "page_view", "timestamp": 1681721331085}]}""";
        // What navigator.sendBeacon sends: text/plain, no Authorization header.
        given().contentType("text/plain;charset=UTF-8").queryParam("key", web.key()).body(events).post(shop.path("/track"))
                .then().statusCode(202).body("accepted", equalTo(1));
        // The same event again (the page also sent it with fetch): accepted, not stored twice.
        web.api().body(events).post(shop.path("/track")).then().statusCode(202).body("accepted", equalTo(0)).body("duplicates", equalTo(1));
        shop.api().queryParam("deviceId", "web_1").get(shop.path("/events")).then().statusCode(200).body("events.size()", equalTo(1));

        given().contentType("text/plain").queryParam("key", shop.key()).body(events.replace("e-1", "e-2")).post(shop.path("/track"))
                .then().statusCode(401).body("message", containsString("a secret key is accepted only in the Authorization header"));
        // Only track takes the key there.
        given().contentType("application/json").queryParam("key", web.key()).body("{\"deviceId\": \"web_1\", \"platform\": \"web\"}")
                .post(shop.path("/devices")).then().statusCode(401);
        given().queryParam("key", web.key()).get(shop.path("/users/u1/inapp")).then().statusCode(401);
        shop.api().queryParam("deviceId", "web_1").get(shop.path("/events")).then().statusCode(200).body("events.size()", equalTo(1));
    }

    @Test
    void corsAnswersForTheSdksEndpointsOnly() {
        String origin = "https://shop.example";
        for (String path : new String[] {"/v1/projects/p1/track", "/v1/projects/p1/devices", "/v1/projects/p1/users/u1/inapp",
                "/v1/projects/p1/users/u1/tags", "/v1/projects/p1/inapp/m1/clicked", "/sdk/web/v1/journey.mjs"}) {
            given().header("Origin", origin).header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type").options(path)
                    .then().statusCode(204).header("Access-Control-Allow-Origin", "*")
                    .header("Access-Control-Allow-Headers", containsString("Authorization"))
                    .header("Access-Control-Allow-Credentials", nullValue());
        }
        given().header("Origin", origin).get("/sdk/web/v1/journey.mjs").then().statusCode(200).header("Access-Control-Allow-Origin", "*");
        // A secret-key endpoint answers no CORS: a page cannot read it, whatever key it holds.
        TestProject shop = TestProject.create("Cors");
        shop.api().header("Origin", origin).get(shop.path("/events")).then().statusCode(200).header("Access-Control-Allow-Origin", nullValue());
        given().header("Origin", origin).header("Access-Control-Request-Method", "GET").options(shop.path("/events"))
                .then().header("Access-Control-Allow-Origin", nullValue());
        shop.api().header("Origin", origin).get(shop.path("/users/u1")).then().header("Access-Control-Allow-Origin", nullValue());
    }
}
