package dev.journey.api.project;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
class AuthTest {
    private static final String SEED = """
            {"events": [{"subjectType": "user", "subjectId": "userid1", "type": "purchase",
                         "data": {"productId": "123", "productName": "Product Name", "amount": 10000}}]}""";

    @Test
    void adminCreatesAProjectWhoseKeyWorks() {
        TestProject shop = TestProject.create("Shop");
        shop.api().body(SEED).post(shop.path("/track")).then().statusCode(202).body("accepted", equalTo(1));
    }

    @Test
    void missingOrMalformedOrUnknownKeyIs401() {
        TestProject shop = TestProject.create("Shop");
        given().contentType(ContentType.JSON).body(SEED).post(shop.path("/track"))
                .then().statusCode(401).body("error", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).header("Authorization", "Basic abc").body(SEED).post(shop.path("/track"))
                .then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer ").body(SEED).post(shop.path("/track"))
                .then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer jk_not-a-key").body(SEED).post(shop.path("/track"))
                .then().statusCode(401).body("message", startsWith("the API key"));
    }

    @Test
    void aKeyOfAnotherProjectIsForbiddenEverywhere() {
        TestProject a = TestProject.create("A");
        TestProject b = TestProject.create("B");
        a.api().body(SEED).post(a.path("/track")).then().statusCode(202);
        b.api().body(SEED).post(a.path("/track")).then().statusCode(403).body("error", equalTo("forbidden"));
        b.api().get(a.path("/events")).then().statusCode(403);
        b.api().get(a.path("/messages")).then().statusCode(403);
        b.api().get(a.path("/journeys")).then().statusCode(403);
        b.api().get(b.path("/events")).then().statusCode(200).body("events.size()", equalTo(0));
    }

    @Test
    void adminNeedsTheAdminToken() {
        given().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/v1/admin/projects").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer wrong").body(Map.of("name", "x"))
                .post("/v1/admin/projects").then().statusCode(401);
        given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TestProject.ADMIN_TOKEN)
                .body(Map.of()).post("/v1/admin/projects").then().statusCode(400).body("details[0].path", equalTo("name"));
    }
}
