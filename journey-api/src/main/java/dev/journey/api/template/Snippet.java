package dev.journey.api.template;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import dev.journey.api.project.DocumentVersion;
import dev.journey.api.project.VersionedDocument;

/** A partial that templates of the same project use by name ({@code {% render 'footer' %}}). */
@Entity
public class Snippet extends VersionedDocument {
    public String source;

    @Override
    protected DocumentVersion newVersionRow() {
        SnippetVersion row = new SnippetVersion();
        row.source = source;
        return row;
    }

    public static Snippet find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }

    public static Snippet named(String projectId, String name) {
        return find("projectId = ?1 and name = ?2", projectId, name).firstResult();
    }
}
