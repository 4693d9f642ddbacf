package dev.journey.api.template;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A partial that templates of the same project use by name ({@code {% render 'footer' %}}). */
@Entity
public class Snippet extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "project_id")
    public String projectId;
    public String name;
    public String source;
    public int version;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();

    public static Snippet find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }

    public static Snippet named(String projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name).firstResult();
    }
}
