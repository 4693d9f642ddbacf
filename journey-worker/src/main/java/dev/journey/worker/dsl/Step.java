package dev.journey.worker.dsl;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** One step of a journey. A successor that is null ends the journey there. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = MessageStep.class, name = "message"),
        @JsonSubTypes.Type(value = WaitStep.class, name = "wait"),
        @JsonSubTypes.Type(value = WaitForEventStep.class, name = "waitForEvent"),
        @JsonSubTypes.Type(value = WaitForOutcomeStep.class, name = "waitForOutcome"),
        @JsonSubTypes.Type(value = BranchStep.class, name = "branch"),
        @JsonSubTypes.Type(value = SplitStep.class, name = "split"),
        @JsonSubTypes.Type(value = UpdateTagsStep.class, name = "updateTags"),
        @JsonSubTypes.Type(value = FetchStep.class, name = "fetch"),
        @JsonSubTypes.Type(value = ExitStep.class, name = "exit"),
})
public sealed interface Step permits MessageStep, WaitStep, WaitForEventStep, WaitForOutcomeStep, BranchStep, SplitStep, UpdateTagsStep,
        FetchStep, ExitStep {
    String id();

    /** Every step this one can lead to, as written (null for "end here"). */
    List<String> successors();

    /** The step's type as a definition names it ({@code message}, {@code wait}, …): from the one list above. */
    default String typeName() {
        for (JsonSubTypes.Type type : Step.class.getAnnotation(JsonSubTypes.class).value()) {
            if (type.value() == getClass()) {
                return type.name();
            }
        }
        throw new IllegalStateException("no type name for " + getClass());
    }

    /** Steps that pause in durable time, which is what makes a loop through them safe. */
    default boolean waits() {
        return false;
    }
}
