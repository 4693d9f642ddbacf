package dev.journey.api.channel;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A delivery channel of a project; {@code config} holds what its type needs (webhook: url, secret). */
@Entity
public class Channel extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "project_id")
    public String projectId;
    public String type;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String config;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();
}
