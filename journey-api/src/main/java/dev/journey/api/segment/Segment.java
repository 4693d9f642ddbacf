package dev.journey.api.segment;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A named condition over users; counted and listed on demand, tracked per event when a journey enters on it. */
@Entity
public class Segment extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "project_id")
    public String projectId;
    public String name;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String condition;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();

    public static Segment find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
