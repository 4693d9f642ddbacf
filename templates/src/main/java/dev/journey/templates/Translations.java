package dev.journey.templates;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A template's translations: per-locale variants of all its fields, beside the fields themselves
 * (the template's default, in {@code defaultLocale} when it names one), and which of them a
 * user's locale picks. The chain goes from the most specific tag to the language
 * ({@code ko-KR} → {@code ko}), then to the default; tags match whatever their case, with
 * {@code -} or {@code _}. A template that declares a language (a default locale or any variant)
 * and meets a user whose locale none of them serves renders its default and says so
 * ({@link Choice#missing}), so the preview warns and the message log counts it.
 */
public record Translations(String defaultLocale, Map<String, Map<String, String>> variants) {
    public static final Translations NONE = new Translations(null, Map.of());
    public static final int MAX_VARIANTS = 100;

    /** A BCP 47 tag as people write them: a language, then script, region or variant subtags. */
    private static final Pattern TAG = Pattern.compile("[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*");

    public Translations {
        variants = variants == null ? Map.of() : variants;
    }

    /** What a locale picks: the fields to render, the locale they are in (null: undeclared), and the user's locale when nothing served it. */
    public record Choice(Map<String, String> fields, String locale, String missing) {}

    public boolean declaresLanguage() {
        return defaultLocale != null || !variants.isEmpty();
    }

    /** The variant {@code userLocale} picks among these translations of {@code fields}. */
    public Choice choose(Map<String, String> fields, String userLocale) {
        List<String> wanted = chain(userLocale);
        for (String tag : wanted) {
            for (Map.Entry<String, Map<String, String>> variant : variants.entrySet()) {
                if (normal(variant.getKey()).equals(tag)) {
                    return new Choice(variant.getValue(), variant.getKey(), null);
                }
            }
            if (defaultLocale != null && normal(defaultLocale).equals(tag)) {
                return new Choice(fields, defaultLocale, null);
            }
        }
        boolean missing = !wanted.isEmpty() && declaresLanguage();
        return new Choice(fields, defaultLocale, missing ? userLocale.strip() : null);
    }

    /** The user's locale in a render's variables: {@code user.locale} (set by the user's {@code locale} tag), or null. */
    public static String userLocale(Map<String, Object> context) {
        return context.get("user") instanceof Map<?, ?> user && user.get("locale") instanceof String locale ? locale : null;
    }

    /** {@code ko-KR} → [ko-kr, ko]; {@code zh-Hant-TW} → [zh-hant-tw, zh-hant, zh]; nothing for a blank or malformed locale. */
    public static List<String> chain(String locale) {
        if (locale == null || !TAG.matcher(locale.strip()).matches()) {
            return List.of();
        }
        List<String> chain = new ArrayList<>();
        String tag = normal(locale);
        while (true) {
            chain.add(tag);
            int cut = tag.lastIndexOf('-');
            if (cut < 0) {
                return chain;
            }
            tag = tag.substring(0, cut);
        }
    }

    private static String normal(String tag) {
        return tag.strip().replace('_', '-').toLowerCase(Locale.ROOT);
    }

    /**
     * What is wrong with these translations of {@code fields}, each with its path under the
     * template ({@code defaultLocale}, {@code translations.ko}, {@code translations.ko.body}):
     * a tag that is not a language tag, two tags that are the same one, a variant of the default's
     * own locale, a variant without all of the default's fields or with others. The sources are
     * checked by {@link TemplateRenderer#validate(Map, Translations)}.
     */
    public List<TemplateError> problems(Map<String, String> fields) {
        List<TemplateError> problems = new ArrayList<>();
        if (defaultLocale != null && !TAG.matcher(defaultLocale.strip()).matches()) {
            problems.add(new TemplateError("defaultLocale", 0, 0, "must be a language tag such as \"en\" or \"en-US\""));
        }
        if (variants.size() > MAX_VARIANTS) {
            problems.add(new TemplateError("translations", 0, 0, "at most " + MAX_VARIANTS + " locales"));
        }
        Map<String, String> seen = new LinkedHashMap<>();
        if (defaultLocale != null) {
            seen.put(normal(defaultLocale), "defaultLocale");
        }
        variants.forEach((tag, variant) -> {
            String path = "translations." + tag;
            if (!TAG.matcher(tag.strip()).matches()) {
                problems.add(new TemplateError(path, 0, 0, "is not a language tag: use one such as \"ko\" or \"ko-KR\""));
                return;
            }
            String same = seen.putIfAbsent(normal(tag), path);
            if (same != null) {
                problems.add(new TemplateError(path, 0, 0, "is the same locale as " + same));
            }
            if (variant == null) {
                problems.add(new TemplateError(path, 0, 0, "must be an object of field name to Liquid source"));
                return;
            }
            fields.keySet().stream().filter(f -> !variant.containsKey(f))
                    .forEach(f -> problems.add(new TemplateError(path + "." + f, 0, 0,
                            "is missing: a translation holds every field of the template, so a message never mixes languages")));
            variant.keySet().stream().filter(f -> !fields.containsKey(f))
                    .forEach(f -> problems.add(new TemplateError(path + "." + f, 0, 0, "is not a field of the template")));
        });
        return problems;
    }
}
