package dev.journey.api.sdk;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chromium.ChromiumNetworkConditions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.journey.api.support.HeadlessChromium;
import dev.journey.api.support.TestProject;
import io.restassured.RestAssured;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 14: the Web SDK in a real browser (Debian's headless Chromium) against the real engine, the page on
 * another origin than the engine. What the page tracks — typed data, offline, across reloads, through beacons —
 * is stored exactly once; an in-app message a journey sends is shown, clicked and closed, each recorded once.
 */
@QuarkusTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebSdkBrowserTest {
    /** The test shop: loads the SDK (ES module, or the script-tag build with build=script) from the engine. */
    static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Test shop</title>
            <style>
              body { font-family: system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #222 }
              header { background: #222; color: #fff; padding: 14px 32px; font-weight: 600 }
              main { max-width: 720px; margin: 32px auto; display: grid; grid-template-columns: 1fr 1fr; gap: 16px }
              .card { background: #fff; padding: 20px; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,.1) }
            </style></head>
            <body><header>Test shop</header><main>
              <div class="card"><h3>Blue mug</h3><p>Stoneware, 350 ml.</p><button id="buy-mug">Buy · 12.50</button></div>
              <div class="card"><h3>Tea towel</h3><p>Linen, 50 × 70 cm.</p><button id="buy-towel">Buy · 9.00</button></div>
            </main>
            <script>
              window.warnings = []; window.pageErrors = [];
              const warn = console.warn;
              console.warn = (...a) => { warnings.push(a.map(String).join(' ')); warn.apply(console, a); };
              addEventListener('error', (e) => pageErrors.push(String(e.message)));
              addEventListener('unhandledrejection', (e) => pageErrors.push(String(e.reason)));
              const q = new URLSearchParams(location.search);
              const options = { projectId: q.get('project'), key: q.get('key'), baseUrl: q.get('api'),
                                flushInterval: +(q.get('flush') || 200), inAppPollInterval: 1000 };
              function start(J) { window.J = J; J.init(options); if (q.get('user')) J.setUserId(q.get('user')); window.sdkReady = true; }
              if (q.get('build') === 'script') {
                const s = document.createElement('script');
                s.src = q.get('sdk') + '/sdk/web/v1/journey.js';
                s.onload = () => start(window.Journey);
                document.head.appendChild(s);
              } else {
                import(q.get('sdk') + '/sdk/web/v1/journey.mjs').then(start);
              }
            </script></body></html>
            """;

    HeadlessChromium chromium;

    @BeforeAll
    void startBrowser() throws IOException {
        chromium = new HeadlessChromium(PAGE);
    }

    @AfterAll
    void stopBrowser() throws IOException {
        if (chromium != null) {
            chromium.close();
        }
    }

    @Test
    void typedEventsOfflineAndAcrossReloadsAreStoredExactlyOnce() throws Exception {
        TestProject shop = TestProject.create("WebSdkEvents");
        TestProject web = shop.newKey("publishable");
        String engine = "http://127.0.0.1:" + RestAssured.port;
        open(web, engine, engine, "");

        // Before setUserId: the device's events. Then the user, typed data of every kind the API takes, and tags.
        js("J.trackEvent('page_view', {path: '/home'})");
        String deviceId = (String) js("return J.getDeviceId()");
        assertTrue(deviceId.startsWith("web_"), deviceId);
        js("J.setUserId('ann')");
        assertEquals(Boolean.TRUE, js("""
                return J.trackEvent('purchase', {productId: '123', productName: 'Product Name', amount: 10000, price: 12.5,
                  gift: false, paidAt: '2024-04-19T14:23:56+09:00', paidAtMs: 1681721331085, deliveredAt: new Date(Date.UTC(2024, 3, 20)),
                  skus: ['a', 'b'], sizes: [1, 2.5], coupon: null})"""));
        assertEquals(Boolean.TRUE, js("return J.setTags({tier: 'gold', visits: 3, old: null})"));
        // Invalid input is refused here with a warning naming the path; nothing is thrown into the page.
        assertEquals(List.of(false, false, false, false, false), js("""
                return [J.trackEvent('bad', {address: {city: 'Seoul'}}), J.trackEvent('bad', {mixed: [1, 'a']}),
                        J.trackEvent('@first_session'), J.trackEvent(''), J.trackEvent('bad', {n: NaN})]"""));
        List<?> warnings = (List<?>) js("return warnings");
        assertTrue(warnings.stream().anyMatch(w -> w.toString().contains("data.address is a nested object")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.toString().contains("data.mixed must be an array whose elements are all strings or all numbers")),
                warnings.toString());
        awaitTypes(shop, "ann", Map.of("page_view", 1, "purchase", 1));

        // Offline (DevTools network emulation): events wait in localStorage, then go when the network is back.
        chromium.driver.setNetworkConditions(offline(true));
        js("for (let i = 1; i <= 3; i++) J.trackEvent('offline_' + i, {i})");
        Thread.sleep(1500);
        assertEquals(3L, js("return JSON.parse(localStorage.getItem('journey:' + options.projectId + ':queue')).length"));
        assertEquals(0, count(shop, "ann", "offline_1"));
        chromium.driver.setNetworkConditions(offline(false));
        awaitTypes(shop, "ann", Map.of("offline_1", 1, "offline_2", 1, "offline_3", 1));

        // Reload mid-queue: the engine unreachable (a dead port), five events queued, then the page reloaded
        // with the engine reachable — the new page sends what the old one left in localStorage.
        open(web, engine, "http://127.0.0.1:" + deadPort(), "&user=ann");
        js("for (let i = 1; i <= 5; i++) J.trackEvent('queued_' + i, {i, at: Date.now()})");
        Thread.sleep(700);
        assertEquals(5L, js("return JSON.parse(localStorage.getItem('journey:' + options.projectId + ':queue')).length"));
        open(web, engine, engine, "&user=ann");
        awaitTypes(shop, "ann", Map.of("queued_1", 1, "queued_5", 1));

        // Leaving a page with events not yet sent (a long flush delay): its sendBeacon (?key=, text/plain) delivers
        // them — the next page cannot, its engine is a dead port. Then a page that can sends them again, from
        // localStorage: their eventIds keep one copy.
        open(web, engine, engine, "&user=ann&flush=60000");
        js("for (let i = 1; i <= 4; i++) J.trackEvent('twice_' + i, {i})");
        open(web, engine, "http://127.0.0.1:" + deadPort(), "&user=ann");
        awaitTypes(shop, "ann", Map.of("twice_1", 1, "twice_2", 1, "twice_3", 1, "twice_4", 1));
        assertEquals(4L, js("return JSON.parse(localStorage.getItem('journey:' + options.projectId + ':queue')).length"));
        open(web, engine, engine, "&user=ann");
        await().atMost(Duration.ofSeconds(10)).until(() -> (Long) js(
                "return JSON.parse(localStorage.getItem('journey:' + options.projectId + ':queue') || '[]').length") == 0);
        Thread.sleep(1000); // anything still in flight would land now

        Map<String, Integer> types = types(shop, "ann");
        Map<String, Integer> expected = new TreeMap<>(Map.of("page_view", 1, "purchase", 1, "offline_1", 1, "offline_2", 1,
                "offline_3", 1, "@first_session", 1, "@tags_changed", 1));
        for (int i = 1; i <= 5; i++) {
            expected.put("queued_" + i, 1);
        }
        for (int i = 1; i <= 4; i++) {
            expected.put("twice_" + i, 1);
        }
        assertEquals(expected, types);

        // The device's event is joined to ann (it was tracked before setUserId, as the device); the data kept its types.
        Map<String, Object> pageView = event(shop, "ann", "page_view");
        assertEquals("device", pageView.get("subjectType"));
        assertEquals(deviceId, pageView.get("subjectId"));
        Map<?, ?> purchase = (Map<?, ?>) event(shop, "ann", "purchase").get("data");
        assertEquals(10000, purchase.get("amount"));
        assertEquals(12.5f, ((Number) purchase.get("price")).floatValue());
        assertEquals(false, purchase.get("gift"));
        assertEquals("2024-04-19T14:23:56+09:00", purchase.get("paidAt"));
        assertEquals(1681721331085L, ((Number) purchase.get("paidAtMs")).longValue());
        assertEquals("2024-04-20T00:00:00.000Z", purchase.get("deliveredAt"));
        assertEquals(List.of("a", "b"), purchase.get("skus"));
        assertTrue(purchase.containsKey("coupon") && purchase.get("coupon") == null, purchase.toString());
        shop.api().get(shop.path("/users/ann")).then().statusCode(200)
                .body("tags.tier", org.hamcrest.Matchers.equalTo("gold"))
                .body("devices.deviceId", org.hamcrest.Matchers.hasItem(deviceId));
        assertEquals(List.of(), js("return pageErrors"));
    }

    @Test
    void anInAppMessageIsShownClickedAndClosedEachRecordedOnce() throws Exception {
        TestProject shop = TestProject.create("WebSdkInApp");
        TestProject web = shop.newKey("publishable");
        String engine = "http://127.0.0.1:" + RestAssured.port;
        shop.api().body(Map.of("type", "inapp")).post(shop.path("/channels")).then().statusCode(201);
        journey(shop, "open_offer", """
                {"id": "offer", "type": "message", "channel": "inapp", "template": {
                  "title": "Welcome back, {{ user.id | capitalize }}",
                  "body": "Your {{ entry_event.data.item }} is still in the cart. Take 10% off if you order today.",
                  "button": "See my cart", "button2": "Not now"}, "next": null}""");
        journey(shop, "open_banner", """
                {"id": "news", "type": "message", "channel": "inapp", "template": {
                  "layout": "banner", "title": "Free delivery this week", "body": "On every order over 20.00."}, "next": null}""");

        open(web, engine, engine, "&user=bob&build=script");
        assertEquals(Boolean.TRUE, js("return typeof Journey.init === 'function' && J === Journey"));
        js("J.trackEvent('open_offer', {item: 'blue mug'})");

        // The modal: a labelled dialog that takes the focus to its main button.
        WebElement dialog = new WebDriverWait(chromium.driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".journey-iam--modal [role=dialog]")));
        assertEquals("true", dialog.getAttribute("aria-modal"));
        String title = chromium.driver.findElement(By.id(dialog.getAttribute("aria-labelledby"))).getText();
        assertEquals("Welcome back, Bob", title);
        assertTrue(dialog.getText().contains("Your blue mug is still in the cart."), dialog.getText());
        assertEquals("button", js("return document.activeElement.dataset.journeyButton"));
        Thread.sleep(300); // let the page settle before the picture
        Path modalShot = chromium.screenshot("web-sdk-inapp-modal");
        assertTrue(Files.size(modalShot) > 10_000, "screenshot " + modalShot);
        String offer = messageId(shop, "bob", "@iam_displayed");

        // Clicking the main button records the click (with the button) and closes the message.
        dialog.findElement(By.cssSelector("[data-journey-button=button]")).click();
        new WebDriverWait(chromium.driver, Duration.ofSeconds(5)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".journey-iam"), 0));
        awaitTypes(shop, "bob", Map.of("@iam_displayed", 1, "@iam_clicked", 1, "@iam_closed", 1));
        Map<?, ?> click = (Map<?, ?>) event(shop, "bob", "@iam_clicked").get("data");
        assertEquals("button", click.get("button"));
        assertEquals(offer, click.get("messageId"));

        // A banner: no focus taken; Escape closes it once the user is in it.
        js("J.trackEvent('open_banner')");
        WebElement banner = new WebDriverWait(chromium.driver, Duration.ofSeconds(20))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(".journey-iam--banner [role=region]")));
        assertEquals("Free delivery this week", banner.findElement(By.cssSelector(".journey-iam__title")).getText());
        Thread.sleep(300);
        chromium.screenshot("web-sdk-inapp-banner");
        banner.findElement(By.cssSelector(".journey-iam__close")).sendKeys(Keys.ESCAPE);
        new WebDriverWait(chromium.driver, Duration.ofSeconds(5)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".journey-iam"), 0));
        awaitTypes(shop, "bob", Map.of("@iam_displayed", 2, "@iam_closed", 2));

        // A reload shows neither again (both left the inbox), and nothing is recorded twice.
        open(web, engine, engine, "&user=bob&build=script");
        Thread.sleep(2500);
        assertEquals(0L, js("return document.querySelectorAll('.journey-iam').length"));
        Map<String, Integer> types = types(shop, "bob");
        assertEquals(2, types.get("@iam_displayed"));
        assertEquals(1, types.get("@iam_clicked"));
        assertEquals(2, types.get("@iam_closed"));
        assertEquals(List.of(), js("return pageErrors"));
    }

    // ------------------------------------------------------------------------------------------------------

    private void open(TestProject web, String sdkFrom, String api, String extra) {
        chromium.driver.get(chromium.pageUrl("project=" + enc(web.id()) + "&key=" + enc(web.key()) + "&sdk=" + enc(sdkFrom)
                + "&api=" + enc(api) + extra));
        await().atMost(Duration.ofSeconds(10)).until(() -> Boolean.TRUE.equals(js("return window.sdkReady === true")));
    }

    private Object js(String script) {
        return chromium.driver.executeScript(script);
    }

    private static ChromiumNetworkConditions offline(boolean offline) {
        ChromiumNetworkConditions conditions = new ChromiumNetworkConditions();
        conditions.setOffline(offline);
        return conditions;
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort(); // closed again: nothing listens there
        }
    }

    private static void journey(TestProject p, String event, String step) {
        String id = p.api().body("{\"name\": \"" + event + "\", \"trigger\": {\"event\": \"" + event + "\"},"
                + " \"reentry\": {\"mode\": \"always\"}, \"steps\": [" + step + "]}")
                .post(p.path("/journeys")).then().statusCode(201).extract().path("id");
        p.api().post(p.path("/journeys/" + id + "/publish")).then().statusCode(200);
    }

    private static List<Map<String, Object>> events(TestProject p, String userId) {
        return p.api().queryParam("userId", userId).queryParam("limit", 500).get(p.path("/events"))
                .then().statusCode(200).extract().jsonPath().getList("events");
    }

    private static Map<String, Integer> types(TestProject p, String userId) {
        return events(p, userId).stream().collect(Collectors.groupingBy(e -> (String) e.get("type"), TreeMap::new,
                Collectors.summingInt(e -> 1)));
    }

    private static int count(TestProject p, String userId, String type) {
        return types(p, userId).getOrDefault(type, 0);
    }

    private static Map<String, Object> event(TestProject p, String userId, String type) {
        return events(p, userId).stream().filter(e -> type.equals(e.get("type"))).findFirst().orElseThrow();
    }

    private static String messageId(TestProject p, String userId, String type) {
        await().atMost(Duration.ofSeconds(10)).until(() -> count(p, userId, type) > 0);
        return (String) ((Map<?, ?>) event(p, userId, type).get("data")).get("messageId");
    }

    /** Waits until each type has been stored exactly that many times (never more, checked at the end too). */
    private static void awaitTypes(TestProject p, String userId, Map<String, Integer> expected) {
        Function<Map<String, Integer>, Map<String, Integer>> only = all -> expected.keySet().stream()
                .collect(Collectors.toMap(t -> t, t -> all.getOrDefault(t, 0), (a, b) -> a, TreeMap::new));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> only.apply(types(p, userId)).equals(new TreeMap<>(expected)));
        assertFalse(only.apply(types(p, userId)).entrySet().stream().anyMatch(e -> e.getValue() > expected.get(e.getKey())));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
