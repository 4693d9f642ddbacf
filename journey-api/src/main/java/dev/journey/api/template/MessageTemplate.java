package dev.journey.api.template;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import dev.journey.api.project.DocumentVersion;
import dev.journey.api.project.VersionedDocument;

/** A stored message template: named Liquid fields (title, body, …) and their translations; each save is a new {@link MessageTemplateVersion}. */
@Entity
@Table(name = "message_template")
public class MessageTemplate extends VersionedDocument {
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String fields;

    /** Per-locale variants of all the fields, as JSON ({"ko": {"body": "…"}}); null when none. */
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String translations;

    /** The locale {@link #fields} are in; null when the template does not say. */
    @Column(name = "default_locale")
    public String defaultLocale;

    @Override
    protected DocumentVersion newVersionRow() {
        MessageTemplateVersion row = new MessageTemplateVersion();
        row.fields = fields;
        row.translations = translations;
        row.defaultLocale = defaultLocale;
        return row;
    }

    public static MessageTemplate find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
