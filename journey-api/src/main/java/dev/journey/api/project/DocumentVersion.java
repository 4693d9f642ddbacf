package dev.journey.api.project;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.MappedSuperclass;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One saved state of a {@link VersionedDocument}, kept when later saves replace it; each table
 * names its document column ({@code template_id}, {@code snippet_id}) with an attribute override.
 */
@MappedSuperclass
@IdClass(DocumentVersion.Key.class)
public abstract class DocumentVersion extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String documentId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.documentId, documentId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(documentId, version);
        }
    }

    @Id
    public String documentId;
    @Id
    public int version;
    public String name;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
