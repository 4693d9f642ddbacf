package dev.journey.api.template;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import dev.journey.api.project.DocumentVersion;

/** One saved state of a snippet. */
@Entity
@Table(name = "snippet_version")
@AttributeOverride(name = "documentId", column = @Column(name = "snippet_id"))
public class SnippetVersion extends DocumentVersion {
    public String source;
}
