package dev.journey.worker.message;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.Partials;
import dev.journey.templates.Translations;
import dev.journey.worker.dsl.TranslationsJson;
import dev.journey.worker.db.Sql;
import dev.journey.worker.db.SqlFailure;

/**
 * A project's stored templates and snippets as rendering needs them, for real sends and for the
 * API's previews alike. The project id is in every query, so a template can only ever reach its
 * own project's snippets. Nothing is kept between renders: an edited snippet is used at once.
 */
public class ProjectTemplates {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {};

    private final Sql sql;

    public ProjectTemplates(Sql sql) {
        this.sql = sql;
    }

    /** A template's fields and their translations. */
    public record Template(Map<String, String> fields, Translations translations) {}

    /** The current fields and translations of the project's template {@code templateId}. */
    public Optional<Template> template(String projectId, String templateId) {
        return sql.first("SELECT fields::text, jsonb_build_object('translations', translations, 'defaultLocale', default_locale)::text"
                        + " FROM message_template WHERE project_id = ? AND id = ?",
                rs -> new Template(fields(rs.getString(1)), TranslationsJson.read(rs.getString(2))), projectId, templateId);
    }

    /** The source of the project's snippet called {@code name}. */
    public Optional<String> snippet(String projectId, String name) {
        return sql.first("SELECT source FROM snippet WHERE project_id = ? AND name = ?", rs -> rs.getString(1), projectId, name);
    }

    /** The project's snippets for one render: each looked up when a template first uses it, then remembered for that render. */
    public Snippets snippets(String projectId) {
        return new Snippets(name -> snippet(projectId, name));
    }

    /**
     * One render's snippets. The renderer reports whatever a snippet lookup throws as an error in
     * the template, so a database failure would read as a broken template; it is kept here instead,
     * for the caller to raise as what it is after the render ({@link #throwIfUnavailable}).
     */
    public static final class Snippets implements Partials {
        private final Function<String, Optional<String>> lookup;
        private final Map<String, Optional<String>> seen = new ConcurrentHashMap<>();
        private volatile SqlFailure failure;

        Snippets(Function<String, Optional<String>> lookup) {
            this.lookup = lookup;
        }

        @Override
        public String source(String name) {
            try {
                return seen.computeIfAbsent(name, lookup).orElse(null);
            } catch (SqlFailure e) {
                if (failure == null) {
                    failure = e;
                }
                throw e;
            }
        }

        /** Throws the database failure a lookup of this render met, if one did: the render's errors then say nothing about the template. */
        public void throwIfUnavailable() {
            SqlFailure e = failure;
            if (e != null) {
                throw e;
            }
        }
    }

    private static Map<String, String> fields(String json) {
        try {
            return JSON.readValue(json, FIELDS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored template could not be read: " + e.getOriginalMessage(), e);
        }
    }
}
