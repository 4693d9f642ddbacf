package dev.journey.api.template;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One saved state of a snippet, kept when later saves replace it. */
@Entity
@Table(name = "snippet_version")
@IdClass(SnippetVersion.Key.class)
public class SnippetVersion extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String snippetId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.snippetId, snippetId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(snippetId, version);
        }
    }

    @Id
    @Column(name = "snippet_id")
    public String snippetId;
    @Id
    public int version;
    public String name;
    public String source;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
