package dev.journey.api.template;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PreviewTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Preview");
    }

    @Test
    void rendersTheApiExample() {
        project.api().body("""
                {"template": {"title": "Thanks << entry_event.data.productName | default: 'friend' >>",
                              "body": "You paid {{ entry_event.data.amount }}."},
                 "context": {"entry_event": {"type": "purchase", "data": {"amount": 10000}}, "user": {"tags": {}}}}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.title", equalTo("Thanks friend"))
                .body("rendered.body", equalTo("You paid 10000."))
                .body("errors", empty());
    }

    @Test
    void aSyntaxErrorIsAnAnswerWithFieldLineAndColumn() {
        project.api().body("""
                {"template": {"body": "fine", "title": "line one\\n{% if x %}unclosed"}, "context": {}}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.body", equalTo("fine"))
                .body("errors[0].field", equalTo("title"))
                .body("errors[0].line", equalTo(2))
                .body("errors[0].column", greaterThan(0))
                .body("errors[0].message", containsString("line 2"));
    }

    @Test
    void rendersWithAStoredEvent() {
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "u7", "type": "purchase", "eventId": "order-7", "data": {"productName": "Lamp"}}]}""")
                .post(project.path("/track")).then().statusCode(202);
        project.api().body("""
                {"template": {"body": "<< user.id >> bought << entry_event.data.productName >>"}, "eventId": "order-7"}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.body", equalTo("u7 bought Lamp"));
        project.api().body("{\"template\": {\"body\": \"x\"}, \"eventId\": \"nope\"}")
                .post(project.path("/templates/preview")).then().statusCode(400).body("details[0].path", equalTo("eventId"));
    }

    @Test
    void badRequestsAre400sNeverA500() {
        project.api().body("{}").post(project.path("/templates/preview")).then().statusCode(400).body("details[0].path", equalTo("template"));
        project.api().body("{\"template\": {\"body\": 5}}").post(project.path("/templates/preview")).then().statusCode(400)
                .body("details[0].path", equalTo("template.body"));
        project.api().body("{\"template\": {\"body\": \"x\"}, \"context\": [1]}").post(project.path("/templates/preview")).then().statusCode(400);
        project.api().body("not json").post(project.path("/templates/preview")).then().statusCode(400);
        project.api().body("{\"template\": {\"body\": \"{% for i in (1..100000000) %}{{ i }}{% endfor %}\"}}")
                .post(project.path("/templates/preview")).then().statusCode(200).body("errors.size()", equalTo(1));
    }
}
