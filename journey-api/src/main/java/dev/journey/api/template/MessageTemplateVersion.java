package dev.journey.api.template;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One saved state of a template, kept when later saves replace it. */
@Entity
@Table(name = "message_template_version")
@IdClass(MessageTemplateVersion.Key.class)
public class MessageTemplateVersion extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String templateId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && Objects.equals(k.templateId, templateId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(templateId, version);
        }
    }

    @Id
    @Column(name = "template_id")
    public String templateId;
    @Id
    public int version;
    public String name;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String fields;
    @Column(name = "created_at")
    public Instant createdAt = Instant.now();
}
