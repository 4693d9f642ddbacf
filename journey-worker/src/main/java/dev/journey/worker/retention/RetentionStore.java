package dev.journey.worker.retention;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import dev.journey.worker.db.Sql;

/** The {@code retention_settings} table: the windows each project set itself. The only SQL for it. */
public class RetentionStore {
    private final Sql sql;
    private final RetentionConfig config;

    public RetentionStore(Sql sql, RetentionConfig config) {
        this.sql = sql;
        this.config = config;
    }

    public RetentionConfig config() {
        return config;
    }

    /** The project's settings; {@link RetentionSettings#NONE} when it set none. */
    public RetentionSettings get(String projectId) {
        return sql.first("SELECT events_days, messages_days, instances_days FROM retention_settings WHERE project_id = ?", rs -> {
            Map<Retained, Duration> own = new EnumMap<>(Retained.class);
            for (Retained kind : Retained.values()) {
                Integer days = Sql.integer(rs, kind.column());
                if (days != null) {
                    own.put(kind, Duration.ofDays(days));
                }
            }
            return new RetentionSettings(own);
        }, projectId).orElse(RetentionSettings.NONE);
    }

    /** Where the project's records of a kind begin at {@code now}: lists show nothing older, dropped yet or not. */
    public java.time.Instant retainedFrom(String projectId, Retained kind, java.time.Instant now) {
        return get(projectId).retainedFrom(kind, config, now);
    }

    /** Replaces the project's settings as a whole. */
    public void put(String projectId, RetentionSettings settings) {
        Integer[] days = new Integer[Retained.values().length];
        for (Retained kind : Retained.values()) {
            Duration own = settings.own().get(kind);
            days[kind.ordinal()] = own == null ? null : (int) own.toDays();
        }
        sql.update("INSERT INTO retention_settings (project_id, events_days, messages_days, instances_days) VALUES (?, ?, ?, ?)"
                + " ON CONFLICT (project_id) DO UPDATE SET events_days = excluded.events_days, messages_days = excluded.messages_days,"
                + " instances_days = excluded.instances_days, updated_at = now()", projectId, days[0], days[1], days[2]);
    }

    /** The shortest and the longest window of a kind over every project, the engine's default included. */
    public record Span(Duration shortest, Duration longest) {}

    /**
     * A month shared by all projects may go only once it is older than the longest window; the
     * shortest bounds where the rows of any project may already be removed.
     */
    public Span span(Retained kind) {
        Duration fallback = config.defaultOf(kind);
        return sql.first("SELECT min(" + kind.column() + "), max(" + kind.column() + ") FROM retention_settings", rs -> {
            Integer shortest = Sql.integer(rs, "min");
            Integer longest = Sql.integer(rs, "max");
            return new Span(shortest == null || Duration.ofDays(shortest).compareTo(fallback) > 0 ? fallback : Duration.ofDays(shortest),
                    longest == null || Duration.ofDays(longest).compareTo(fallback) < 0 ? fallback : Duration.ofDays(longest));
        }).orElseThrow();
    }
}
