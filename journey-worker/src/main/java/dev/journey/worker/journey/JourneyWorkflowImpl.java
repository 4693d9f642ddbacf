package dev.journey.worker.journey;

import java.time.Duration;

import dev.journey.worker.dsl.JourneyDefinition;
import dev.journey.worker.dsl.MessageStep;
import dev.journey.worker.dsl.Step;
import dev.journey.worker.dsl.WaitStep;
import dev.journey.worker.message.MessageActivities;
import dev.journey.worker.message.SendMessage;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;

/**
 * Walks a journey's steps for one subject. Deterministic: durable timers for waits, activities
 * for everything that touches the world.
 */
public class JourneyWorkflowImpl implements JourneyWorkflow {
    /** Backoff for deliveries: 1 s, 2 s, 4 s … up to 5 min between attempts, for about a day at most. */
    private final MessageActivities messages = Workflow.newActivityStub(MessageActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(30))
                    .setScheduleToCloseTimeout(Duration.ofHours(24))
                    .setRetryOptions(RetryOptions.newBuilder()
                            .setInitialInterval(Duration.ofSeconds(1))
                            .setBackoffCoefficient(2)
                            .setMaximumInterval(Duration.ofMinutes(5))
                            .setMaximumAttempts(20)
                            .build())
                    .build());

    private final InstanceActivities instances = Workflow.newActivityStub(InstanceActivities.class,
            ActivityOptions.newBuilder()
                    .setStartToCloseTimeout(Duration.ofSeconds(10))
                    .setRetryOptions(RetryOptions.newBuilder().setMaximumInterval(Duration.ofMinutes(1)).build())
                    .build());

    @Override
    public String run(JourneyInput input) {
        String workflowId = Workflow.getInfo().getWorkflowId();
        JourneyDefinition journey = input.journey();
        String stepId = journey.firstStepId();
        while (stepId != null) {
            Step step = journey.step(stepId);
            instances.stepReached(workflowId, stepId);
            if (step instanceof MessageStep message) {
                send(input, workflowId, message);
            } else if (step instanceof WaitStep wait) {
                Workflow.sleep(wait.asDuration());
            }
            stepId = step.next();
        }
        instances.ended(workflowId, "completed", null);
        return "completed";
    }

    /** A message that finally fails is recorded as failed and the journey goes on, as in Braze and Customer.io. */
    private void send(JourneyInput input, String workflowId, MessageStep step) {
        String messageId = JourneyIds.messageId(workflowId, step.id());
        try {
            messages.send(new SendMessage(messageId, input.projectId(), input.journeyId(), input.journey().name(),
                    input.version(), workflowId, step.id(), step.channel(), step.template(), input.entryEvent()));
        } catch (ActivityFailure e) {
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            messages.markFailed(messageId, reason);
        }
    }

}
