package dev.journey.api.segment;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import org.hibernate.annotations.ColumnTransformer;

import dev.journey.api.project.ProjectDocument;

/** A named condition over users; counted and listed on demand, tracked per event when a journey enters on it. */
@Entity
public class Segment extends ProjectDocument {
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String condition;

    public static Segment find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
