package dev.journey.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TranslationsTest {
    private static final Map<String, String> EN = Map.of("title", "Thanks", "body", "Hi {{ user.id }}");
    private static final Map<String, String> KO = Map.of("title", "감사합니다", "body", "{{ user.id }}님");
    private static final Map<String, String> KO_KR = Map.of("title", "감사합니다!", "body", "{{ user.id }}님!");
    private static final Map<String, String> PT_BR = Map.of("title", "Obrigado", "body", "Oi {{ user.id }}");
    private final Translations translations = new Translations("en", Map.of("ko", KO, "ko-KR", KO_KR, "pt_BR", PT_BR));

    @Test
    void theChainGoesFromTheMostSpecificTagToTheLanguage() {
        assertEquals(List.of("ko-kr", "ko"), Translations.chain("ko-KR"));
        assertEquals(List.of("zh-hant-tw", "zh-hant", "zh"), Translations.chain("zh_Hant_TW"));
        assertEquals(List.of("ko"), Translations.chain(" ko "));
        assertEquals(List.of(), Translations.chain(null));
        assertEquals(List.of(), Translations.chain(""));
        assertEquals(List.of(), Translations.chain("not a locale"));
    }

    @Test
    void aLocalePicksItsVariantThenItsLanguageThenTheDefault() {
        assertEquals(new Translations.Choice(KO_KR, "ko-KR", null), translations.choose(EN, "ko-kr"));
        assertEquals(new Translations.Choice(KO, "ko", null), translations.choose(EN, "ko-KP"));
        assertEquals(new Translations.Choice(KO, "ko", null), translations.choose(EN, "KO"));
        assertEquals(new Translations.Choice(PT_BR, "pt_BR", null), translations.choose(EN, "pt-BR"));
        assertEquals(new Translations.Choice(EN, "en", null), translations.choose(EN, "en-GB"), "the default's own language");
        assertEquals(new Translations.Choice(EN, "en", null), translations.choose(EN, null), "no locale: the default, nothing missing");
    }

    @Test
    void aLocaleNothingServesGetsTheDefaultAndIsCountedMissing() {
        assertEquals(new Translations.Choice(EN, "en", "fr-FR"), translations.choose(EN, "fr-FR"));
        assertEquals(new Translations.Choice(EN, "en", "pt"), translations.choose(EN, "pt"), "pt-BR does not serve pt");
        assertEquals(new Translations.Choice(EN, null, null), Translations.NONE.choose(EN, "fr"),
                "a template that declares no language misses nothing");
        assertEquals("fr", new Translations(null, Map.of("ko", KO)).choose(EN, "fr").missing());
    }

    @Test
    void theUsersLocaleIsUserLocale() {
        assertEquals("ko-KR", Translations.userLocale(Map.of("user", Map.of("id", "u", "locale", "ko-KR"))));
        assertNull(Translations.userLocale(Map.of("user", Map.of("id", "u"))));
        assertNull(Translations.userLocale(Map.of()));
    }

    @Test
    void problemsAreNamedByPath() {
        Translations bad = new Translations("english!", Map.of(
                "ko", Map.of("title", "감사"),
                "KO", KO,
                "ja", Map.of("title", "ありがとう", "body", "x", "footer", "y"),
                "not a tag", EN));
        List<String> problems = bad.problems(EN).stream().map(e -> e.field() + ": " + e.message()).sorted().toList();
        assertEquals(5, problems.size(), problems::toString);
        assertTrue(problems.contains("defaultLocale: must be a language tag such as \"en\" or \"en-US\""), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("translations.ko.body: is missing")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.matches("translations\\.(ko|KO): is the same locale as translations\\.(ko|KO)")),
                problems::toString);
        assertTrue(problems.contains("translations.ja.footer: is not a field of the template"), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("translations.not a tag: is not a language tag")), problems::toString);
        assertEquals(List.of("translations.en: is the same locale as defaultLocale"),
                new Translations("en", Map.of("en", EN)).problems(EN).stream().map(e -> e.field() + ": " + e.message()).toList());
    }

    @Test
    void theRendererChecksEveryVariantsLiquidWhereItStands() {
        TemplateRenderer renderer = new TemplateRenderer();
        List<TemplateError> errors = renderer.validate(EN, "template", new Translations("en", Map.of("ko",
                Map.of("title", "감사합니다", "body", "{{ user.id | shout }}"))));
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("translations.ko.body", errors.get(0).field());
        assertEquals(1, errors.get(0).line());
        assertTrue(errors.get(0).message().contains("shout"), errors.get(0).message());
        assertEquals(List.of(), renderer.validate(EN, "template", translations));
    }
}
