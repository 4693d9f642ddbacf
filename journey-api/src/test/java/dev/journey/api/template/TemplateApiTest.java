package dev.journey.api.template;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TemplateApiTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Templates");
    }

    private String create(String body) {
        return project.api().body(body).post(project.path("/templates")).then().statusCode(201).extract().path("id");
    }

    @Test
    void createReadUpdateDeleteWithVersions() {
        String id = create("""
                {"name": "Welcome push", "fields": {"title": "Hi << user.id >>", "body": "Welcome!"}}""");
        project.api().get(project.path("/templates/" + id)).then().statusCode(200)
                .body("name", equalTo("Welcome push"))
                .body("fields.title", equalTo("Hi << user.id >>"))
                .body("version", equalTo(1));
        project.api().body("""
                {"name": "Welcome push v2", "fields": {"title": "Hello << user.id >>", "body": "Welcome back!"}}""")
                .put(project.path("/templates/" + id)).then().statusCode(200)
                .body("version", equalTo(2)).body("fields.title", equalTo("Hello << user.id >>"));
        project.api().get(project.path("/templates/" + id + "?version=1")).then().statusCode(200)
                .body("version", equalTo(1)).body("latestVersion", equalTo(2))
                .body("name", equalTo("Welcome push")).body("fields.title", equalTo("Hi << user.id >>"));
        project.api().get(project.path("/templates/" + id)).then().statusCode(200).body("version", equalTo(2));
        project.api().get(project.path("/templates/" + id + "?version=9")).then().statusCode(404);
        project.api().get(project.path("/templates/" + id + "?version=x")).then().statusCode(400).body("details[0].path", equalTo("version"));
        project.api().get(project.path("/templates")).then().statusCode(200).body("", hasSize(1)).body("[0].id", equalTo(id));
        project.api().delete(project.path("/templates/" + id)).then().statusCode(204);
        project.api().get(project.path("/templates/" + id)).then().statusCode(404);
        project.api().delete(project.path("/templates/" + id)).then().statusCode(404);
    }

    @Test
    void aTemplateThatDoesNotParseIsRefusedWithFieldLineAndColumn() {
        project.api().body("""
                {"name": "Broken", "fields": {"title": "ok", "body": "Hello\\n{% if user.vip %}VIP"}}""")
                .post(project.path("/templates")).then().statusCode(422)
                .body("error", equalTo("invalid_template"))
                .body("details", hasSize(1))
                .body("details[0].path", equalTo("fields.body"))
                .body("details[0].line", equalTo(2))
                .body("details[0].column", equalTo(1))
                .body("details[0].message", equalTo("the {% if %} on line 2 is never closed (missing {% endif %})"));
        String id = create("{\"name\": \"Fine\", \"fields\": {\"body\": \"x\"}}");
        project.api().body("{\"name\": \"Fine\", \"fields\": {\"body\": \"<< x | shout >>\"}}")
                .put(project.path("/templates/" + id)).then().statusCode(422)
                .body("details[0].path", equalTo("fields.body"))
                .body("details[0].column", equalTo(6))
                .body("details[0].message", containsString("there is no filter named 'shout'"));
        project.api().get(project.path("/templates/" + id)).then().body("version", equalTo(1)).body("fields.body", equalTo("x"));
    }

    @Test
    void badShapesAre400sWithTheirPath() {
        project.api().body("[]").post(project.path("/templates")).then().statusCode(400).body("details[0].path", equalTo(""));
        project.api().body("{\"fields\": {\"body\": \"x\"}}").post(project.path("/templates")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        project.api().body("{\"name\": \"n\"}").post(project.path("/templates")).then().statusCode(400)
                .body("details[0].path", equalTo("fields"));
        project.api().body("{\"name\": \"n\", \"fields\": {\"body\": 5, \"title\": null}}").post(project.path("/templates")).then().statusCode(400)
                .body("details[0].path", equalTo("fields.body")).body("details[1].path", equalTo("fields.title"));
        project.api().body("{\"name\": \"n\", \"fields\": {\"body\": \"" + "x".repeat(70_000) + "\"}}").post(project.path("/templates"))
                .then().statusCode(422).body("details[0].message", containsString("too long"));
        project.api().body("not json").post(project.path("/templates")).then().statusCode(400);
    }

    @Test
    void anotherProjectCannotSeeOrChangeTheTemplate() {
        String id = create("{\"name\": \"Mine\", \"fields\": {\"body\": \"x\"}}");
        TestProject other = TestProject.create("Other");
        other.api().get(other.path("/templates/" + id)).then().statusCode(404);
        other.api().body("{\"name\": \"Theirs\", \"fields\": {\"body\": \"y\"}}").put(other.path("/templates/" + id)).then().statusCode(404);
        other.api().delete(other.path("/templates/" + id)).then().statusCode(404);
        other.api().get(project.path("/templates/" + id)).then().statusCode(403);
        project.api().get(project.path("/templates/" + id)).then().statusCode(200).body("name", equalTo("Mine"));
    }
}
