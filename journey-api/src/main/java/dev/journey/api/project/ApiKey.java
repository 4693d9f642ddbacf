package dev.journey.api.project;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A project's API key, stored only as its SHA-256 hash. */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
    @Id
    public String lookup;
    @Column(name = "project_id")
    public String projectId;
    @Column(name = "key_hash")
    public byte[] keyHash;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
