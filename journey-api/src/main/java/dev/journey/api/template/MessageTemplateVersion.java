package dev.journey.api.template;

import jakarta.persistence.AttributeOverride;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import dev.journey.api.project.DocumentVersion;

/** One saved state of a template. */
@Entity
@Table(name = "message_template_version")
@AttributeOverride(name = "documentId", column = @Column(name = "template_id"))
public class MessageTemplateVersion extends DocumentVersion {
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String fields;

    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String translations;

    @Column(name = "default_locale")
    public String defaultLocale;
}
