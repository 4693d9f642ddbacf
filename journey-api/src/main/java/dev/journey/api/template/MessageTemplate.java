package dev.journey.api.template;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import dev.journey.api.project.DocumentVersion;
import dev.journey.api.project.VersionedDocument;

/** A stored message template: named Liquid fields (title, body, …); each save is a new {@link MessageTemplateVersion}. */
@Entity
@Table(name = "message_template")
public class MessageTemplate extends VersionedDocument {
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String fields;

    @Override
    protected DocumentVersion newVersionRow() {
        MessageTemplateVersion row = new MessageTemplateVersion();
        row.fields = fields;
        return row;
    }

    public static MessageTemplate find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
