package dev.journey.api.template;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.journey.api.support.TestProject;
import io.agroal.api.AgroalDataSource;
import jakarta.inject.Inject;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class PreviewTest {
    private TestProject project;
    @Inject
    AgroalDataSource db;

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
                .body("errors", empty())
                .body("warnings", hasSize(1))
                .body("warnings[0].field", equalTo("title"))
                .body("warnings[0].message", equalTo("entry_event.data.productName is not defined; the default 'friend' was used"));
    }

    @Test
    void inlinePartialsComeBeforeStoredSnippets() {
        project.api().body("{\"name\": \"sig\", \"source\": \"stored\"}").post(project.path("/snippets")).then().statusCode(201);
        project.api().body("""
                {"template": {"a": "{% render 'sig' %}", "b": "{% render 'card', name: user.id %}", "c": "{% include 'card' %}"},
                 "partials": {"card": "[<< name | default: 'nobody' >>]"},
                 "context": {"user": {"id": "u1"}}}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.a", equalTo("stored"))
                .body("rendered.b", equalTo("[u1]"))
                .body("rendered.c", equalTo("[nobody]"))
                .body("errors", empty());
        project.api().body("""
                {"template": {"a": "{% render 'sig' %}"}, "partials": {"sig": "inline"}}""")
                .post(project.path("/templates/preview")).then().statusCode(200).body("rendered.a", equalTo("inline"));
        project.api().body("{\"template\": {\"a\": \"x\"}, \"partials\": {\"p\": 5}}")
                .post(project.path("/templates/preview")).then().statusCode(400).body("details[0].path", equalTo("partials.p"));
        project.api().body("{\"template\": {\"a\": \"{% render 'p' %}\"}, \"partials\": {\"p\": \"{% if %}\"}}")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("errors[0].field", equalTo("a")).body("errors[0].message", containsString("{% if %}"));
    }

    @Test
    void warningsNameEveryUndefinedVariableAndTheDefaultUsed() {
        project.api().body("""
                {"template": {"title": "<< entry_event.data.productName | default: 'friend' >> << user.tags.tier | default: 'member' >>",
                              "body": "{{ entry_event.data.coupon }} {{ entry_event.data.amount | currency: 'KRW' }}"},
                 "context": {"entry_event": {"data": {"amount": 10000}}, "user": {"tags": {}}}}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.title", equalTo("friend member"))
                .body("rendered.body", equalTo(" ₩10,000"))
                .body("warnings", hasSize(3))
                .body("warnings[0].message", equalTo("entry_event.data.productName is not defined; the default 'friend' was used"))
                .body("warnings[1].message", equalTo("user.tags.tier is not defined; the default 'member' was used"))
                .body("warnings[2].field", equalTo("body"))
                .body("warnings[2].message", equalTo("entry_event.data.coupon is not defined"));
    }

    @Test
    void aSlowTemplateFailsClearlyWhileOtherPreviewsGoOn() throws Exception {
        String slow = "{\"template\": {\"body\": \"{% for i in (1..4000) %}{% assign s = long | split: '' | sort | join: '' %}{% endfor %}\"},"
                + " \"context\": {\"long\": \"" + "zyxwvutsrq".repeat(2000) + "\"}}";
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> running =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> project.api().body(slow).post(project.path("/templates/preview")));
        for (int i = 0; i < 20; i++) {
            project.api().body("{\"template\": {\"body\": \"n=<< n >>\"}, \"context\": {\"n\": " + i + "}}")
                    .post(project.path("/templates/preview")).then().statusCode(200).body("rendered.body", equalTo("n=" + i));
        }
        running.get(30, java.util.concurrent.TimeUnit.SECONDS).then().statusCode(200)
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("took longer than 2000 ms"));
    }

    @Test
    void theEventsUserBringsStoredTagsAndTimezone() throws Exception {
        project.api().body("""
                {"events": [{"subjectType": "user", "subjectId": "u9", "type": "purchase", "eventId": "order-9",
                  "timestamp": 1709600000000, "data": {"productName": "Lamp"}}]}""")
                .post(project.path("/track")).then().statusCode(202);
        try (java.sql.Connection c = db.getConnection(); java.sql.PreparedStatement st = c.prepareStatement(
                "INSERT INTO app_user (project_id, user_id, tags, timezone) VALUES (?, 'u9', '{\"tier\": \"gold\"}'::jsonb, 'Asia/Seoul')")) {
            st.setString(1, project.id());
            st.executeUpdate();
        }
        project.api().body("""
                {"template": {"body": "<< user.id >> << user.tags.tier >> << entry_event.timestamp | date: '%H:%M' >>"}, "eventId": "order-9"}""")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.body", equalTo("u9 gold 09:53"))
                .body("warnings", empty());
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

    @Test
    void nastyTemplatesAndContextsAreNeverA500() {
        String[] templates = {"{{", "}}", "{% %}", "<<>>", "{% if %}", "{% endfor %}", "{% raw %}", "{% comment %}",
            "{% render %}", "{% render x %}", "{% include 'none' %}", "{% cycle %}", "{{ 1 | date: nil, nil }}",
            "{{ x | divided_by: 0 }}", "{{ 1e400 | number_with_delimiter }}", "{{ big | currency: 'USD' }}",
            "{{ 'a' | truncate: -5 }}", "{{ '%' | url_decode }}", "{{ deep | json }}", "{% for i in (1..99999999999) %}{% endfor %}",
            "{% assign a = (1..3) %}", "{{ user.tags[nil] }}", "{{ items[99999999999] }}", "\u0000\ud800", "{% liquid\r if %}",
            "{% render 'me' %}", "{% if x %}".repeat(300), "{{ x ".repeat(100), "<<".repeat(500)};
        String[] contexts = {"{}", "null", "{\"x\": null, \"big\": 1e308, \"deep\": [[[[[[{\"a\": [null]}]]]]]],"
            + " \"items\": [1, \"two\", null, {}, []], \"user\": {\"timezone\": \"Bad/Zone\", \"tags\": null}}"};
        for (String template : templates) {
            for (String context : contexts) {
                String body = "{\"template\": {\"body\": " + quote(template) + "}, \"context\": " + context
                        + ", \"partials\": {\"me\": \"{% render 'me' %}\"}}";
                project.api().body(body).post(project.path("/templates/preview")).then().statusCode(200);
            }
        }
    }

    @Inject
    dev.journey.templates.TemplateRenderer renderer;

    @Test
    void sandboxLimitsComeFromApplicationProperties() {
        org.junit.jupiter.api.Assertions.assertEquals(new dev.journey.templates.TemplateLimits(65536, 262144, 5000, 2000), renderer.limits());
        project.api().body("{\"template\": {\"body\": \"{% for i in (1..5001) %}{% endfor %}\", \"ok\": \"{% for i in (1..4999) %}{% endfor %}fine\"}}")
                .post(project.path("/templates/preview")).then().statusCode(200)
                .body("rendered.ok", equalTo("fine"))
                .body("errors[0].field", equalTo("body"))
                .body("errors[0].message", containsString("loops too many times (5000"));
    }

    private static String quote(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(text);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
