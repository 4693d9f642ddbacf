package dev.journey.api.journey;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A journey's draft definition and life-cycle; each publish freezes a {@link JourneyVersion}. */
@Entity
public class Journey extends PanacheEntityBase {
    public static final String DRAFT = "draft";
    public static final String PUBLISHED = "published";
    public static final String PAUSED = "paused";
    public static final String ARCHIVED = "archived";

    @Id
    public String id;
    @Column(name = "project_id")
    public String projectId;
    public String name;
    public String status;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String definition;
    @Column(name = "published_version")
    public Integer publishedVersion;
    @Column(name = "trigger_event")
    public String triggerEvent;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();

    public static Journey find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
