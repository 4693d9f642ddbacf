package dev.journey.api.journey;


import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import org.hibernate.annotations.ColumnTransformer;

import dev.journey.api.project.ProjectDocument;
import dev.journey.worker.dsl.JourneyStatus;

/** A journey's draft definition and life-cycle; each publish freezes a {@link JourneyVersion}. */
@Entity
public class Journey extends ProjectDocument {
    public JourneyStatus status;
    @Column(columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String definition;
    @Column(name = "published_version")
    public Integer publishedVersion;
    @Column(name = "trigger_event")
    public String triggerEvent;

    public static Journey find(String projectId, String id) {
        return find("id = ?1 and projectId = ?2", id, projectId).firstResult();
    }
}
