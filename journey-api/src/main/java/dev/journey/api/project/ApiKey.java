package dev.journey.api.project;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A project's API key, stored only as its SHA-256 hash: {@code lookup} (the hash's first 16 hex digits)
 * finds the row, {@code id} names it in the API. {@code revokedAt} in the future is a rotated key's
 * grace period.
 */
@Entity
@Table(name = "api_key")
public class ApiKey extends PanacheEntityBase {
    @Id
    public String lookup;
    public String id;
    @Column(name = "project_id")
    public String projectId;
    @Column(name = "key_hash")
    public byte[] keyHash;
    public String name;
    /** {@code publishable} or {@code secret} ({@link dev.journey.api.access.KeyScope#id()}). */
    public String scope;
    /** The key's first characters; null for a key issued before V13 until its next use. */
    public String prefix;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "last_used_at")
    public Instant lastUsedAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;

    public boolean activeAt(Instant now) {
        return revokedAt == null || revokedAt.isAfter(now);
    }
}
