package dev.journey.api.journey;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class JourneyApiTest {
    private static final String GOOD = """
            {"name": "Post-purchase", "trigger": {"event": "purchase", "where": {"path": "data.amount", "op": "gte", "value": 5000}},
             "steps": [{"id": "thanks", "type": "message", "channel": "webhook", "template": {"body": "Thanks << entry_event.data.productName >>"}, "next": "pause"},
                       {"id": "pause", "type": "wait", "duration": "P3D", "next": null}]}""";

    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Journeys");
    }

    @Test
    void draftsAreCreatedReadUpdatedPublishedAndDeleted() {
        String id = project.api().body(GOOD).post(project.path("/journeys")).then().statusCode(201)
                .body("status", equalTo("draft")).body("definition.steps[1].duration", equalTo("P3D")).extract().path("id");
        project.api().get(project.path("/journeys/" + id)).then().statusCode(200).body("name", equalTo("Post-purchase"));
        project.api().get(project.path("/journeys")).then().statusCode(200).body("id", hasItems(id));
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200).body("publishedVersion", equalTo(1));
        project.api().body(GOOD.replace("Post-purchase", "Renamed")).put(project.path("/journeys/" + id)).then().statusCode(200)
                .body("name", equalTo("Renamed")).body("publishedVersion", equalTo(1));
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(200).body("publishedVersion", equalTo(2));
        project.api().post(project.path("/journeys/" + id + "/archive")).then().statusCode(200).body("status", equalTo("archived"));
        project.api().post(project.path("/journeys/" + id + "/publish")).then().statusCode(409);
        project.api().delete(project.path("/journeys/" + id)).then().statusCode(204);
        project.api().get(project.path("/journeys/" + id)).then().statusCode(404).body("error", equalTo("not_found"));
    }

    @Test
    void everyProblemIsA422WithItsPath() {
        project.api().body("""
                {"name": "", "trigger": {},
                 "steps": [{"id": "a", "type": "message", "channel": "webhook", "template": {"body": "{% if %}"}, "next": "nowhere"},
                           {"id": "a", "type": "wait", "duration": "three days", "next": null}]}""")
                .post(project.path("/journeys")).then().statusCode(422)
                .body("error", equalTo("invalid_definition"))
                .body("details.path", hasItems("name", "trigger.event", "steps[0].template.body", "steps[0].next", "steps[1].id", "steps[1].duration"))
                .body("details.find { it.path == 'steps[0].template.body' }.message", containsString("line 1"));
    }

    @Test
    void anUnknownStepTypeOrOperatorIsA422() {
        project.api().body(GOOD.replace("\"wait\"", "\"teleport\"")).post(project.path("/journeys")).then().statusCode(422)
                .body("details[0].path", equalTo("steps[1].type")).body("details[0].message", containsString("teleport"));
        project.api().body(GOOD.replace("\"gte\"", "\"approximately\"")).post(project.path("/journeys")).then().statusCode(422)
                .body("details[0].path", equalTo("trigger.where.op")).body("details[0].message", containsString("approximately"));
    }

    @Test
    void anotherProjectsJourneyIsNotFound() {
        String id = project.api().body(GOOD).post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        TestProject other = TestProject.create("Other");
        other.api().get(other.path("/journeys/" + id)).then().statusCode(404);
        other.api().post(other.path("/journeys/" + id + "/publish")).then().statusCode(404);
    }
}
