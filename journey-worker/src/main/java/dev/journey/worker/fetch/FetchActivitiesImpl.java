package dev.journey.worker.fetch;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.journey.templates.RenderResult;
import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.worker.channel.FetchHttp;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.db.SqlFailure;
import dev.journey.worker.event.EntryEvent;
import dev.journey.worker.message.MessageContext;
import dev.journey.worker.subject.SubjectStore;
import io.temporal.activity.Activity;
import io.temporal.failure.ApplicationFailure;

/**
 * Renders a fetch step's request with what a message of the instance would see, sends it through
 * {@link FetchHttp} (the outbound policy, bounded time and answer), and keeps the answer only if it
 * is a JSON object or array of at most {@link #MAX_ANSWER_BYTES}.
 */
public class FetchActivitiesImpl implements FetchActivities {
    /** The failure type the workflow's retry policy tries again; its one detail is the HTTP status (0 for none). */
    public static final String RETRYABLE = "FetchRetryable";
    /**
     * The largest answer kept: it travels in the workflow's state (continue-as-new, every send's
     * input), so it is data for a template or a branch, not a document.
     */
    public static final int MAX_ANSWER_BYTES = 16 * 1024;

    private final TemplateRenderer renderer;
    private final SubjectStore subjects;
    private final ObjectMapper json;
    private final FetchHttp http;

    public FetchActivitiesImpl(TemplateRenderer renderer, SubjectStore subjects, ObjectMapper json, OutboundPolicy outbound) {
        this.renderer = renderer;
        this.subjects = subjects;
        this.json = json;
        this.http = new FetchHttp(outbound);
    }

    @Override
    public FetchAnswer fetch(FetchCall call) {
        int attempt = Activity.getExecutionContext().getInfo().getAttempt();
        EntryEvent entry = call.entryEvent();
        Map<String, Object> user;
        try {
            user = subjects.user(call.projectId(), entry.subjectType(), entry.subjectId());
        } catch (SqlFailure e) {
            throw ApplicationFailure.newFailureWithCause("user unavailable: " + e.getMessage(), RETRYABLE, e, 0);
        }
        Map<String, Object> context = MessageContext.of(call.journeyId(), call.journeyName(), call.journeyVersion(), entry, user,
                call.fetched());
        RenderResult rendered = renderer.renderFields(call.request().templates(), context);
        if (!rendered.ok()) {
            TemplateError e = rendered.errors().get(0);
            return FetchAnswer.failure(0, "request." + e.field() + " (line " + e.line() + ", column " + e.column() + "): "
                    + e.message(), attempt);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        rendered.rendered().forEach((field, value) -> {
            if (field.startsWith("headers.")) {
                headers.put(field.substring("headers.".length()), value);
            }
        });
        FetchHttp.Result result = http.send(call.request().methodOrDefault(), rendered.rendered().get("url"), headers,
                rendered.rendered().get("body"), call.idempotencyKey(), Duration.ofMillis(call.timeoutMillis()), MAX_ANSWER_BYTES);
        if (!result.ok()) {
            if (result.retryable()) {
                throw ApplicationFailure.newFailure(result.error(), RETRYABLE, result.status());
            }
            return FetchAnswer.failure(result.status(), result.error(), attempt);
        }
        Object data;
        try {
            data = json.readValue(result.body(), Object.class);
        } catch (JsonProcessingException e) {
            return FetchAnswer.failure(result.status(), "the answer is not JSON", attempt);
        }
        if (!(data instanceof Map<?, ?>) && !(data instanceof List<?>)) {
            return FetchAnswer.failure(result.status(), "the answer is not a JSON object or array", attempt);
        }
        return FetchAnswer.success(result.status(), data, attempt);
    }
}
