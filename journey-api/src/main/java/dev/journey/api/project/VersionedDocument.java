package dev.journey.api.project;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.MappedSuperclass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A named document of a project whose every save is a numbered version, kept in a table of
 * {@link DocumentVersion}s (templates, snippets).
 */
@MappedSuperclass
public abstract class VersionedDocument extends PanacheEntityBase {
    @Id
    public String id;
    @Column(name = "project_id")
    public String projectId;
    public String name;
    public int version;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
    @Column(name = "updated_at")
    public Instant updatedAt = Instant.now();

    /** A new, unsaved version row with this document's content (id, number and name are filled in by {@link #saveVersion}). */
    protected abstract DocumentVersion newVersionRow();

    /** Saves the current content as the next version (1 for a new document) and keeps that version. */
    public void saveVersion() {
        version++;
        if (version > 1) {
            updatedAt = Instant.now();
        }
        persist();
        DocumentVersion row = newVersionRow();
        row.documentId = id;
        row.version = version;
        row.name = name;
        row.persist();
    }
}
