package dev.journey.api.journey;

import java.io.Serializable;
import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A published, immutable definition: instances run the version they entered with to the end. */
@Entity
@Table(name = "journey_version")
@IdClass(JourneyVersion.Key.class)
public class JourneyVersion extends PanacheEntityBase {
    public static class Key implements Serializable {
        public String journeyId;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.version == version && java.util.Objects.equals(k.journeyId, journeyId);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(journeyId, version);
        }
    }

    @Id
    @Column(name = "journey_id")
    public String journeyId;
    @Id
    public int version;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String definition;
    @Column(name = "published_at")
    public Instant publishedAt = Instant.now();
}
