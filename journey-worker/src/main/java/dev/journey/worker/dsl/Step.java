package dev.journey.worker.dsl;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One step of a journey; {@code next} names the step after it, null ends the journey. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MessageStep.class, name = "message"),
        @JsonSubTypes.Type(value = WaitStep.class, name = "wait"),
})
public sealed interface Step permits MessageStep, WaitStep {
    String id();

    String next();
}
