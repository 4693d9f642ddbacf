package dev.journey.api.project;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A tenant: every other row belongs to exactly one project, and a key reaches only its own. */
@Entity
public class Project extends PanacheEntityBase {
    @Id
    public String id;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
