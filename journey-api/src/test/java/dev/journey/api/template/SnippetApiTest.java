package dev.journey.api.template;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SnippetApiTest {
    private TestProject project;

    @BeforeEach
    void newProject() {
        project = TestProject.create("Snippets");
    }

    private String create(TestProject in, String name, String source) {
        return in.api().body("{\"name\": \"" + name + "\", \"source\": \"" + source + "\"}")
                .post(in.path("/snippets")).then().statusCode(201).extract().path("id");
    }

    @Test
    void createReadUpdateDeleteWithVersions() {
        String id = create(project, "footer", "-- << brand >>");
        project.api().get(project.path("/snippets/" + id)).then().statusCode(200)
                .body("name", equalTo("footer")).body("source", equalTo("-- << brand >>")).body("version", equalTo(1));
        project.api().body("{\"name\": \"footer\", \"source\": \"== << brand | upcase >>\"}").put(project.path("/snippets/" + id))
                .then().statusCode(200).body("version", equalTo(2));
        project.api().get(project.path("/snippets/" + id + "?version=1")).then().statusCode(200).body("source", equalTo("-- << brand >>"));
        project.api().get(project.path("/snippets")).then().statusCode(200).body("", hasSize(1)).body("[0].version", equalTo(2));
        project.api().delete(project.path("/snippets/" + id)).then().statusCode(204);
        project.api().get(project.path("/snippets/" + id)).then().statusCode(404);
    }

    @Test
    void namesAreUniqueWithinAProjectOnly() {
        String first = create(project, "footer", "a");
        project.api().body("{\"name\": \"footer\", \"source\": \"b\"}").post(project.path("/snippets")).then().statusCode(409)
                .body("details[0].path", equalTo("name"));
        String second = create(project, "header", "h");
        project.api().body("{\"name\": \"footer\", \"source\": \"h\"}").put(project.path("/snippets/" + second)).then().statusCode(409);
        project.api().body("{\"name\": \"footer\", \"source\": \"a2\"}").put(project.path("/snippets/" + first)).then().statusCode(200);
        TestProject other = TestProject.create("Other snippets");
        create(other, "footer", "theirs");
        project.api().body("{\"name\": \"has space\", \"source\": \"x\"}").post(project.path("/snippets")).then().statusCode(400)
                .body("details[0].path", equalTo("name"));
        project.api().body("{\"name\": \"ok\", \"source\": 5}").post(project.path("/snippets")).then().statusCode(400)
                .body("details[0].path", equalTo("source"));
        project.api().body("{\"name\": \"bad\", \"source\": \"{% for x in y %}\"}").post(project.path("/snippets")).then().statusCode(422)
                .body("details[0].path", equalTo("source")).body("details[0].line", equalTo(1))
                .body("details[0].message", containsString("{% for %}"));
    }

    @Test
    void templatesRenderAndIncludeOnlyTheirOwnProjectsSnippets() {
        create(project, "footer", "-- A << brand >>");
        TestProject other = TestProject.create("B");
        String preview = """
                {"template": {"body": "Hi{% render 'footer', brand: 'Acme' %}", "legacy": "Hi{% include 'footer' %}"},
                 "context": {"brand": "Acme"}}""";
        project.api().body(preview).post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.body", equalTo("Hi-- A Acme"))
                .body("rendered.legacy", equalTo("Hi-- A Acme"))
                .body("errors", empty());
        other.api().body(preview).post(other.path("/templates/preview")).then().statusCode(200)
                .body("rendered.body", equalTo(null))
                .body("errors", hasSize(2))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("there is no snippet named 'footer'"))
                .body("errors[0].line", equalTo(1))
                .body("errors[1].field", equalTo("legacy"));
    }
}
