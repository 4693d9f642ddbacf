package dev.journey.api.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/** A fresh project per test class, created through the admin API, so tests never see each other's data. */
public record TestProject(String id, String key) {
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";

    public static TestProject create(String name) {
        Map<String, String> created = given().contentType(ContentType.JSON)
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .body(Map.of("name", name))
                .post("/v1/admin/projects")
                .then().statusCode(201).extract().as(Map.class);
        return new TestProject(created.get("projectId"), created.get("apiKey"));
    }

    /** A request authenticated as this project, JSON by default. */
    public RequestSpecification api() {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + key);
    }

    /** The same project seen through a new key of {@code scope} ("publishable" or "secret"), made with this one. */
    public TestProject newKey(String scope) {
        String key = api().body(Map.of("name", scope + " key", "scope", scope)).post(path("/api-keys"))
                .then().statusCode(201).extract().path("key");
        return new TestProject(id, key);
    }

    public String path(String rest) {
        return "/v1/projects/" + id + rest;
    }
}
