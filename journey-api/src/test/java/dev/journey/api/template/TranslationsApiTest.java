package dev.journey.api.template;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.api.support.TestProject;
import dev.journey.api.support.WebhookReceiver;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** Templates with translations: saved and checked, previewed per locale, and sent in the user's locale with misses logged. */
@QuarkusTest
class TranslationsApiTest {
    private static final Map<String, String> EN = Map.of("title", "Thanks", "body", "Thanks for buying << entry_event.data.productName | default: 'it' >>");
    private static final Map<String, Object> TRANSLATIONS = Map.of(
            "ko", Map.of("title", "감사합니다", "body", "<< entry_event.data.productName | default: '상품' >> 구매 감사합니다"),
            "ko-KR", Map.of("title", "감사합니다!", "body", "<< entry_event.data.productName | default: '상품' >>을(를) 구매해 주셔서 감사합니다"),
            "ja", Map.of("title", "ありがとう", "body", "<< entry_event.data.productName | default: '商品' >>をご購入いただきありがとうございます"));

    private final ObjectMapper json = new ObjectMapper();
    private TestProject project;
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws Exception {
        project = TestProject.create("Translations");
        receiver = new WebhookReceiver();
        project.api().body(Map.of("type", "webhook", "url", receiver.url(), "secret", "a-webhook-secret-of-some-length"))
                .post(project.path("/channels")).then().statusCode(201);
    }

    @AfterEach
    void tearDown() {
        receiver.close();
    }

    @Test
    void aStoredTemplateKeepsItsTranslationsAndEveryVersionHasThem() {
        String id = project.api().body(Map.of("name", "Thanks", "fields", EN, "defaultLocale", "en", "translations", TRANSLATIONS))
                .post(project.path("/templates")).then().statusCode(201)
                .body("defaultLocale", equalTo("en"))
                .body("translations.ja.title", equalTo("ありがとう"))
                .extract().path("id");
        project.api().body(Map.of("name", "Thanks", "fields", EN)).put(project.path("/templates/" + id)).then().statusCode(200)
                .body("translations", equalTo(Map.of())).body("defaultLocale", nullValue());
        project.api().get(project.path("/templates/" + id + "?version=1")).then().statusCode(200)
                .body("translations.'ko-KR'.title", equalTo("감사합니다!"));
    }

    @Test
    void badTranslationsAreRefusedWithTheirPaths() {
        project.api().body(Map.of("name", "x", "fields", EN, "translations", Map.of("ko", "안녕")))
                .post(project.path("/templates")).then().statusCode(400)
                .body("details.path", hasItem("translations.ko"));
        project.api().body(Map.of("name", "x", "fields", EN, "defaultLocale", 5))
                .post(project.path("/templates")).then().statusCode(400)
                .body("details.path", hasItem("defaultLocale"));
        project.api().body(Map.of("name", "x", "fields", EN, "translations", Map.of("ko", Map.of("title", "감사"))))
                .post(project.path("/templates")).then().statusCode(422)
                .body("details.path", hasItem("translations.ko.body"));
        project.api().body(Map.of("name", "x", "fields", EN, "translations", Map.of("klingon language", EN)))
                .post(project.path("/templates")).then().statusCode(422)
                .body("details.path", hasItem("translations.klingon language"));
        project.api().body(Map.of("name", "x", "fields", EN, "translations",
                        Map.of("ja", Map.of("title", "ありがとう", "body", "\n{{ user.id | shout }}"))))
                .post(project.path("/templates")).then().statusCode(422)
                .body("details[0].path", equalTo("translations.ja.body"))
                .body("details[0].line", equalTo(2));
        Map<String, Object> step = new HashMap<>(Map.of("id", "m", "type", "message", "channel", "webhook", "template", EN,
                "translations", Map.of("ko", Map.of("title", "감사"))));
        step.put("next", null);
        project.api().body(Map.of("name", "j", "trigger", Map.of("event", "purchase"), "steps", List.of(step)))
                .post(project.path("/journeys")).then().statusCode(422)
                .body("details.path", hasItem("steps[0].translations.ko.body"));
        Map<String, Object> stored = new HashMap<>(Map.of("id", "m", "type", "message", "channel", "webhook", "templateId", "tpl_x",
                "translations", TRANSLATIONS));
        stored.put("next", null);
        project.api().body(Map.of("name", "j", "trigger", Map.of("event", "purchase"), "steps", List.of(stored)))
                .post(project.path("/journeys")).then().statusCode(422)
                .body("details.path", hasItem("steps[0].translations"));
    }

    @Test
    void thePreviewRendersTheLocaleAskedForAndWarnsWhenNoneServesIt() {
        Map<String, Object> context = Map.of("entry_event", Map.of("data", Map.of("productName", "우산")));
        JsonPath korean = preview(Map.of("locale", "ko-KR", "context", context));
        assertEquals("ko-KR", korean.getString("locale"));
        assertEquals("우산을(를) 구매해 주셔서 감사합니다", korean.getString("rendered.body"));
        assertEquals(List.of(), korean.getList("warnings"));

        JsonPath fromUser = preview(Map.of("context", Map.of("user", Map.of("id", "u", "locale", "ja-JP"),
                "entry_event", Map.of("data", Map.of()))));
        assertEquals("ja", fromUser.getString("locale"));
        assertEquals("商品をご購入いただきありがとうございます", fromUser.getString("rendered.body"));

        JsonPath french = preview(Map.of("locale", "fr-FR", "context", context));
        assertEquals("en", french.getString("locale"));
        assertEquals("Thanks for buying 우산", french.getString("rendered.body"));
        assertEquals("translations", french.getString("warnings[0].field"));
        assertEquals(true, french.getString("warnings[0].message").startsWith("no translation for fr-FR (tried fr-fr, fr)"),
                french.prettify());

        project.api().body(Map.of("template", EN, "translations", TRANSLATIONS, "locale", "no such locale!"))
                .post(project.path("/templates/preview")).then().statusCode(400).body("details[0].path", equalTo("locale"));
    }

    @Test
    void eachUserGetsTheirLocalesVariantAndAMissIsLoggedAndCounted() throws Exception {
        Map<String, Object> step = new HashMap<>(Map.of("id", "thanks", "type", "message", "channel", "webhook", "template", EN,
                "defaultLocale", "en", "translations", TRANSLATIONS));
        step.put("next", null);
        String journey = project.api().body(Map.of("name", "Thanks", "trigger", Map.of("event", "purchase"), "steps", List.of(step)))
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
        tagLocale("seoul", "ko-KR");
        tagLocale("busan", "ko");
        tagLocale("tokyo", "ja_JP");
        tagLocale("paris", "fr-FR");
        for (String user : List.of("seoul", "busan", "tokyo", "paris", "nobody")) {
            project.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", user, "type", "purchase",
                    "data", Map.of("productName", "Umbrella"))))).post(project.path("/track")).then().statusCode(202);
        }
        Map<String, String> bodies = new HashMap<>();
        while (bodies.size() < 5) {
            WebhookReceiver.Received received = receiver.next(Duration.ofSeconds(20));
            if (received == null) {
                break;
            }
            JsonNode hook = json.readTree(received.body());
            bodies.put(hook.path("subjectId").asText(), hook.path("content").path("body").asText());
        }
        assertEquals(Map.of(
                "seoul", "Umbrella을(를) 구매해 주셔서 감사합니다",
                "busan", "Umbrella 구매 감사합니다",
                "tokyo", "Umbrellaをご購入いただきありがとうございます",
                "paris", "Thanks for buying Umbrella",
                "nobody", "Thanks for buying Umbrella"), bodies);

        JsonPath log = project.api().get(project.path("/messages?journeyId=" + journey)).then().statusCode(200).extract().jsonPath();
        Map<String, String> locales = new HashMap<>();
        Map<String, String> missing = new HashMap<>();
        for (int i = 0; i < 5; i++) {
            locales.put(log.getString("messages[" + i + "].subjectId"), log.getString("messages[" + i + "].locale"));
            missing.put(log.getString("messages[" + i + "].subjectId"), log.getString("messages[" + i + "].missingTranslation"));
        }
        assertEquals(Map.of("seoul", "ko-KR", "busan", "ko", "tokyo", "ja", "paris", "en", "nobody", "en"), locales);
        assertEquals("fr-FR", missing.get("paris"));
        assertEquals(4, missing.values().stream().filter(v -> v == null).count(), missing::toString);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> project.api()
                .get(project.path("/messages?missingTranslation=true&journeyId=" + journey)).then().statusCode(200)
                .body("messages.subjectId", equalTo(List.of("paris"))));
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(true, metrics.lines().anyMatch(l -> l.startsWith("journey_templates_translation_missing_total{channel=\"webhook\"")
                && !l.endsWith(" 0.0")), "the miss is counted");
        project.api().get(project.path("/messages?missingTranslation=maybe")).then().statusCode(400)
                .body("details[0].path", equalTo("missingTranslation"));
    }

    @Test
    void aStoredTemplatesTranslationsAreUsedWhenAStepNamesIt() throws Exception {
        String template = project.api().body(Map.of("name", "Thanks", "fields", EN, "translations", TRANSLATIONS))
                .post(project.path("/templates")).then().statusCode(201).extract().path("id");
        Map<String, Object> step = new HashMap<>(Map.of("id", "thanks", "type", "message", "channel", "webhook", "templateId", template));
        step.put("next", null);
        String journey = project.api().body(Map.of("name", "Stored", "trigger", Map.of("event", "purchase"), "steps", List.of(step)))
                .post(project.path("/journeys")).then().statusCode(201).extract().path("id");
        project.api().post(project.path("/journeys/" + journey + "/publish")).then().statusCode(200);
        tagLocale("kyoto", "ja");
        project.api().body(Map.of("events", List.of(Map.of("subjectType", "user", "subjectId", "kyoto", "type", "purchase",
                "data", Map.of())))).post(project.path("/track")).then().statusCode(202);
        WebhookReceiver.Received received = receiver.next(Duration.ofSeconds(20));
        assertEquals("商品をご購入いただきありがとうございます", json.readTree(received.body()).path("content").path("body").asText());
    }

    private void tagLocale(String user, String locale) {
        project.api().body(Map.of("tags", Map.of("locale", locale))).put(project.path("/users/" + user + "/tags")).then().statusCode(200);
    }

    private JsonPath preview(Map<String, Object> extra) {
        Map<String, Object> body = new HashMap<>(extra);
        body.put("template", EN);
        body.put("defaultLocale", "en");
        body.put("translations", TRANSLATIONS);
        return project.api().body(body).post(project.path("/templates/preview")).then().statusCode(200).extract().jsonPath();
    }
}
