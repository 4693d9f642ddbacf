package dev.journey.api.dryrun;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A dry run followed by its id: "running" with its progress, "done" with its result, or "failed". */
@org.eclipse.microprofile.openapi.annotations.media.Schema(name = "DryRunStatus")
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DryRunStatus(String id, String status, DryRunProgress progress, DryRunResult result, String error) {}
