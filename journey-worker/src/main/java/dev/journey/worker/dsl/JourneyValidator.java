package dev.journey.worker.dsl;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.journey.templates.TemplateError;
import dev.journey.templates.TemplateRenderer;
import dev.journey.templates.Translations;
import dev.journey.worker.channel.ChannelType;
import dev.journey.worker.channel.OutboundPolicy;
import dev.journey.worker.consent.Topic;

/**
 * Checks a definition as JSON, before it is read into types, and lists every problem with its
 * path — unknown step types and operators included — so a marketer fixes them all at once.
 */
public final class JourneyValidator {
    private static final List<String> STEP_TYPES = List.of("message", "wait", "waitForEvent", "waitForOutcome", "branch", "split",
            "updateTags", "fetch", "exit");
    private static final List<String> REENTRY = List.of("once", "always", "cooldown");
    private static final List<String> COUNT_OPS = List.of("eq", "neq", "gt", "gte", "lt", "lte");
    private static final Set<String> PATH_ROOTS = Set.of("data", "entry_event", "user", "fetched");
    /** Headers the engine sets itself, or that would make the request lie about its own framing. */
    private static final Set<String> RESERVED_HEADERS = Set.of("host", "content-length", "transfer-encoding", "connection",
            "idempotency-key");
    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    /**
     * Bounds on what is stored and interpreted. The definition is read by every instance's workflow
     * (its structure travels in Temporal payloads, limited to 2 MB each), so it stays well below;
     * inline templates are limited per field by the template sandbox.
     */
    public static final int MAX_DEFINITION_BYTES = 1024 * 1024;
    public static final int MAX_STEPS = 200;
    /** Nesting of JSON objects and arrays in a definition or a segment condition: all/any/not are walked recursively. */
    public static final int MAX_NESTING = 32;
    public static final int MAX_SEGMENT_CONDITION_BYTES = 64 * 1024;

    private final TemplateRenderer templates;
    private final OutboundPolicy outbound;

    /** Fetch steps' literal hosts are checked against the strict policy (loopback refused, nothing allowed). */
    public JourneyValidator(TemplateRenderer templates) {
        this(templates, OutboundPolicy.strict());
    }

    /** @param outbound where fetch steps may send: a literal host it refuses is a problem on save, as for a channel */
    public JourneyValidator(TemplateRenderer templates, OutboundPolicy outbound) {
        this.templates = templates;
        this.outbound = outbound;
    }

    /** What a segment trigger reacts to: the user entering the segment, or leaving it. */
    static final List<String> SEGMENT_ON = List.of(EventMatch.ON_ENTER, EventMatch.ON_EXIT);

    public List<Problem> validate(JsonNode journey) {
        List<Problem> problems = new ArrayList<>();
        if (journey == null || !journey.isObject()) {
            problems.add(new Problem("", "a journey must be a JSON object"));
            return problems;
        }
        if (tooBig(journey, "", MAX_DEFINITION_BYTES, problems)) {
            return problems;
        }
        if (journey.path("steps").size() > MAX_STEPS) {
            problems.add(new Problem("steps", "at most " + MAX_STEPS + " steps"));
            return problems;
        }
        if (!nonBlank(journey.get("name"))) {
            problems.add(new Problem("name", "is required"));
        }
        JsonNode trigger = journey.get("trigger");
        if (present(trigger) && trigger.isObject() && present(trigger.get("segment"))) {
            if (!nonBlank(trigger.get("segment"))) {
                problems.add(new Problem("trigger.segment", "must be a segment id"));
            }
            if (present(trigger.get("event"))) {
                problems.add(new Problem("trigger", "a trigger is an event or a segment, not both"));
            }
            if (present(trigger.get("where"))) {
                condition(trigger.get("where"), "trigger.where", true, problems);
            }
            JsonNode on = trigger.get("on");
            if (present(on) && !(on.isTextual() && SEGMENT_ON.contains(on.asText()))) {
                problems.add(new Problem("trigger.on", "must be one of " + SEGMENT_ON + ": entering the segment (the default) or leaving it"));
            }
        } else {
            eventMatch(trigger, "trigger", true, true, problems);
            if (present(trigger) && trigger.isObject() && present(trigger.get("on"))) {
                problems.add(new Problem("trigger.on", "only a segment trigger has \"on\" (enter or exit)"));
            }
        }
        if (trigger != null && trigger.isObject()) {
            noFetched(trigger.get("where"), "trigger.where", problems);
        }
        reentry(journey.get("reentry"), problems);
        JsonNode exitOn = journey.get("exitOn");
        if (present(exitOn)) {
            if (!exitOn.isArray()) {
                problems.add(new Problem("exitOn", "must be an array of {\"event\", \"where\"}"));
            } else {
                for (int i = 0; i < exitOn.size(); i++) {
                    eventMatch(exitOn.get(i), "exitOn[" + i + "]", true, false, problems);
                }
            }
        }
        eventMatch(journey.get("goal"), "goal", false, false, problems);
        if (present(journey.get("transactional")) && !journey.get("transactional").isBoolean()) {
            problems.add(new Problem("transactional", "must be true or false"));
        }
        limits(journey.get("limits"), problems);
        steps(journey.get("steps"), problems);
        return problems;
    }

    /** The most a limit may say: beyond it, no limit is meant. */
    static final int MAX_LIMIT = 1_000_000;

    private static void limits(JsonNode limits, List<Problem> problems) {
        if (!present(limits)) {
            return;
        }
        if (!limits.isObject()) {
            problems.add(new Problem("limits", "must be an object: {\"entries\": {\"max\": 1000, \"per\": \"P1D\"}, \"messagesPerMinute\": 600}"));
            return;
        }
        JsonNode entries = limits.get("entries");
        if (present(entries)) {
            if (!entries.isObject()) {
                problems.add(new Problem("limits.entries", "must be an object: {\"max\": 1000, \"per\": \"P1D\"}"));
            } else {
                count(entries.get("max"), "limits.entries.max", problems);
                duration(entries.get("per"), "limits.entries.per", true, problems);
            }
        }
        if (present(limits.get("messagesPerMinute"))) {
            count(limits.get("messagesPerMinute"), "limits.messagesPerMinute", problems);
        }
    }

    private static void count(JsonNode node, String path, List<Problem> problems) {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1 || node.asInt() > MAX_LIMIT) {
            problems.add(new Problem(path, "must be a whole number from 1 to " + MAX_LIMIT));
        }
    }

    /** Larger than {@code maxBytes} as JSON, or nested deeper than {@link #MAX_NESTING}: the one problem reported. */
    private static boolean tooBig(JsonNode node, String path, int maxBytes, List<Problem> problems) {
        int bytes = node.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        if (bytes > maxBytes) {
            problems.add(new Problem(path, "is " + bytes + " bytes as JSON; at most " + maxBytes + " are accepted"));
            return true;
        }
        if (nesting(node, 0) > MAX_NESTING) {
            problems.add(new Problem(path, "nests objects and arrays deeper than " + MAX_NESTING + " levels"));
            return true;
        }
        return false;
    }

    private static int nesting(JsonNode node, int depth) {
        if (!node.isContainerNode() || depth > MAX_NESTING) {
            return depth;
        }
        int deepest = depth + 1;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, nesting(child, depth + 1));
        }
        return deepest;
    }

    private void eventMatch(JsonNode match, String path, boolean required, boolean history, List<Problem> problems) {
        if (!present(match)) {
            if (required) {
                problems.add(new Problem(path + ".event", "is required: the event type"));
            }
            return;
        }
        if (!match.isObject()) {
            problems.add(new Problem(path, "must be an object: {\"event\": \"purchase\", \"where\": {…}}"));
            return;
        }
        if (!nonBlank(match.get("event"))) {
            problems.add(new Problem(path + ".event", "is required: the event type"));
        }
        if (present(match.get("where"))) {
            condition(match.get("where"), path + ".where", history, problems);
        }
    }

    private static void reentry(JsonNode reentry, List<Problem> problems) {
        if (!present(reentry)) {
            return;
        }
        String mode = reentry.path("mode").asText(null);
        if (mode == null || !REENTRY.contains(mode)) {
            problems.add(new Problem("reentry.mode", "must be one of " + REENTRY));
        } else if (mode.equals("cooldown")) {
            duration(reentry.get("cooldown"), "reentry.cooldown", true, problems);
        }
    }

    private void steps(JsonNode steps, List<Problem> problems) {
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            problems.add(new Problem("steps", "a journey needs at least one step"));
            return;
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<String, List<String>> edges = new HashMap<>();
        Set<String> waiting = new HashSet<>();
        Map<String, JsonNode> allNext = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            String path = "steps[" + i + "]";
            if (!step.isObject()) {
                problems.add(new Problem(path, "must be an object"));
                continue;
            }
            String id = step.path("id").asText(null);
            if (!nonBlank(step.get("id"))) {
                problems.add(new Problem(path + ".id", "is required"));
                id = null;
            } else if (index.putIfAbsent(id, i) != null) {
                problems.add(new Problem(path + ".id", "duplicate step id \"" + id + "\""));
                id = null;
            }
            String type = step.path("type").asText(null);
            if (type == null || !STEP_TYPES.contains(type)) {
                problems.add(new Problem(path + ".type", "unknown step type " + (type == null ? "(missing)" : "\"" + type + "\"")
                        + "; expected one of " + STEP_TYPES));
                continue;
            }
            Map<String, JsonNode> next = new LinkedHashMap<>();
            switch (type) {
                case "message" -> message(step, path, problems, next);
                case "wait" -> wait(step, path, problems, next);
                case "waitForEvent" -> waitForEvent(step, path, problems, next);
                case "waitForOutcome" -> waitForOutcome(step, path, problems, next);
                case "branch" -> branch(step, path, problems, next);
                case "split" -> split(step, path, problems, next);
                case "updateTags" -> updateTags(step, path, problems, next);
                case "fetch" -> fetch(step, path, problems, next);
                default -> { } // exit: nothing after it
            }
            allNext.putAll(next);
            if (id != null) {
                List<String> targets = new ArrayList<>();
                next.forEach((p, target) -> {
                    if (present(target)) {
                        targets.add(target.asText());
                    }
                });
                edges.put(id, targets);
                if (type.equals("wait") || type.equals("waitForEvent") || (type.equals("waitForOutcome")
                        && !new WaitForOutcomeStep(id, null, step.path("outcome").asText(), null, null, null).knownAtSend())) {
                    waiting.add(id);
                }
            }
        }
        allNext.forEach((path, target) -> {
            if (present(target) && (!target.isTextual() || !index.containsKey(target.asText()))) {
                problems.add(new Problem(path, "unknown step id " + target));
            }
        });
        messageSteps(steps, problems);
        fetchedSteps(steps, problems);
        graph(index, edges, waiting, problems);
    }

    /**
     * A condition's {@code fetched.<id>} must name a fetch step of the same journey: a misspelt one
     * would read as absent on every run without a word.
     */
    private static void fetchedSteps(JsonNode steps, List<Problem> problems) {
        Set<String> fetches = new HashSet<>();
        steps.forEach(s -> {
            if ("fetch".equals(s.path("type").asText()) && s.path("id").isTextual()) {
                fetches.add(s.path("id").asText());
            }
        });
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            JsonNode cases = step.get("cases");
            if ("branch".equals(step.path("type").asText()) && cases != null && cases.isArray()) {
                for (int c = 0; c < cases.size(); c++) {
                    fetchedReferences(cases.get(c).get("when"), "steps[" + i + "].cases[" + c + "].when", fetches, problems);
                }
            }
            if ("waitForEvent".equals(step.path("type").asText())) {
                fetchedReferences(step.get("where"), "steps[" + i + "].where", fetches, problems);
            }
        }
    }

    private static void fetchedReferences(JsonNode c, String path, Set<String> fetches, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            return;
        }
        for (String key : List.of("all", "any")) {
            if (c.has(key) && c.get(key).isArray()) {
                for (int i = 0; i < c.get(key).size(); i++) {
                    fetchedReferences(c.get(key).get(i), path + "." + key + "[" + i + "]", fetches, problems);
                }
            }
        }
        if (c.has("not")) {
            fetchedReferences(c.get("not"), path + ".not", fetches, problems);
        }
        for (String key : List.of("path", "valueFrom")) {
            String p = c.path(key).asText("");
            if (p.startsWith("fetched.")) {
                String step = p.substring("fetched.".length()).split("[.\\[]", 2)[0];
                if (!fetches.contains(step)) {
                    problems.add(new Problem(path + "." + key, "\"" + step + "\" is not a fetch step of this journey"));
                }
            }
        }
    }

    private void message(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        String channel = step.path("channel").asText(null);
        if (channel == null || ChannelType.of(channel).isEmpty()) {
            problems.add(new Problem(path + ".channel", "must be one of " + ChannelType.IDS));
        }
        JsonNode channelId = step.get("channelId");
        if (present(channelId) && (!channelId.isTextual() || channelId.asText().isBlank())) {
            problems.add(new Problem(path + ".channelId", "must be the id of one of the project's channels"));
        }
        JsonNode transactional = step.get("transactional");
        if (present(transactional) && !transactional.isBoolean()) {
            problems.add(new Problem(path + ".transactional", "must be true or false"));
        }
        JsonNode topic = step.get("topic");
        if (present(topic) && (!topic.isTextual() || !Topic.ID.matcher(topic.asText()).matches())) {
            problems.add(new Problem(path + ".topic", "must be the id of one of the project's subscription topics"));
        }
        JsonNode template = step.get("template");
        JsonNode templateId = step.get("templateId");
        if (present(templateId)) {
            if (!nonBlank(templateId)) {
                problems.add(new Problem(path + ".templateId", "must be the id of one of the project's templates"));
            }
            if (present(template)) {
                problems.add(new Problem(path, "a message has an inline \"template\" or a \"templateId\", not both"));
            }
            if (present(step.get("translations")) || present(step.get("defaultLocale"))) {
                problems.add(new Problem(path + ".translations", "belong to the stored template " + templateId.asText()
                        + " when a message names one: give them there"));
            }
        } else if (template == null || !template.isObject() || template.isEmpty()) {
            problems.add(new Problem(path + ".template", "is required: an object of field name to Liquid source (or a \"templateId\")"));
        } else {
            Map<String, String> fields = new LinkedHashMap<>();
            template.fields().forEachRemaining(f -> {
                if (f.getValue().isTextual()) {
                    fields.put(f.getKey(), f.getValue().asText());
                } else {
                    problems.add(new Problem(path + ".template." + f.getKey(), "must be a string of Liquid"));
                }
            });
            Translations translations = TranslationsJson.read(step, (at, problem) -> problems.add(new Problem(path + "." + at, problem)));
            for (TemplateError error : templates.validate(fields, "template", translations)) {
                problems.add(new Problem(path + "." + error.field(), error.line() == 0 ? error.message()
                        : "line " + error.line() + ", column " + error.column() + ": " + error.message()));
            }
            for (List<String> oneOf : ChannelType.of(channel).map(ChannelType::requiredFields).orElse(List.of())) {
                if (oneOf.stream().noneMatch(template::has)) {
                    problems.add(new Problem(path + ".template." + oneOf.get(0), "a " + channel + " message needs "
                            + (oneOf.size() == 1 ? "a \"" + oneOf.get(0) + "\" field" : "one of the fields " + oneOf)));
                }
            }
        }
        next.put(path + ".next", step.get("next"));
    }

    private static void wait(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        boolean hasDuration = present(step.get("duration"));
        boolean hasUntil = present(step.get("until"));
        if (hasDuration == hasUntil) {
            problems.add(new Problem(path, "a wait needs either \"duration\" (e.g. \"P3D\") or \"until\" (a time of day, e.g. \"09:00\")"));
        } else if (hasDuration) {
            duration(step.get("duration"), path + ".duration", true, problems);
        } else {
            try {
                LocalTime.parse(step.get("until").asText());
            } catch (DateTimeParseException e) {
                problems.add(new Problem(path + ".until", "must be a time of day such as \"09:00\""));
            }
        }
        next.put(path + ".next", step.get("next"));
    }

    private void waitForEvent(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        if (!nonBlank(step.get("event"))) {
            problems.add(new Problem(path + ".event", "is required: the event to wait for"));
        }
        if (present(step.get("where"))) {
            condition(step.get("where"), path + ".where", false, problems);
        }
        duration(step.get("timeout"), path + ".timeout", true, problems);
        next.put(path + ".onEvent", step.get("onEvent"));
        next.put(path + ".onTimeout", step.get("onTimeout"));
    }

    /** Also checked with the other steps, in {@link #messageSteps}: {@code message} names a message step. */
    private static void waitForOutcome(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        if (!nonBlank(step.get("message"))) {
            problems.add(new Problem(path + ".message", "is required: the id of the message step whose message is meant"));
        }
        String outcome = step.path("outcome").asText(null);
        if (outcome == null || !WaitForOutcomeStep.OUTCOMES.contains(outcome)) {
            problems.add(new Problem(path + ".outcome", "must be one of " + WaitForOutcomeStep.OUTCOMES));
        } else if (new WaitForOutcomeStep(null, null, outcome, null, null, null).knownAtSend()) {
            if (present(step.get("within"))) {
                duration(step.get("within"), path + ".within", true, problems);
            }
        } else {
            duration(step.get("within"), path + ".within", true, problems);
        }
        next.put(path + ".onOutcome", step.get("onOutcome"));
        next.put(path + ".onTimeout", step.get("onTimeout"));
    }

    /**
     * A waitForOutcome's {@code message} must be the id of a message step of the same journey, on a
     * channel that can report the outcome (an SMS is never opened, a push never displayed in-app).
     */
    private static void messageSteps(JsonNode steps, List<Problem> problems) {
        Map<String, String> channels = new HashMap<>();
        steps.forEach(s -> {
            if ("message".equals(s.path("type").asText()) && s.path("id").isTextual()) {
                channels.put(s.path("id").asText(), s.path("channel").asText(""));
            }
        });
        for (int i = 0; i < steps.size(); i++) {
            JsonNode step = steps.get(i);
            JsonNode message = step.get("message");
            if (!"waitForOutcome".equals(step.path("type").asText()) || !nonBlank(message)) {
                continue;
            }
            String channel = channels.get(message.asText());
            String outcome = step.path("outcome").asText("");
            if (channel == null) {
                problems.add(new Problem("steps[" + i + "].message", "must be the id of a message step of this journey; "
                        + message + " is not"));
            } else if (ChannelType.IDS.contains(channel) && !WaitForOutcomeStep.reportable(outcome, channel)) {
                problems.add(new Problem("steps[" + i + "].outcome", "a " + channel + " message is never " + outcome + "; "
                        + outcome + " is reported for " + new java.util.TreeSet<>(WaitForOutcomeStep.channelsReporting(outcome))
                        + " messages"));
            }
        }
    }

    private void branch(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        JsonNode cases = step.get("cases");
        if (cases == null || !cases.isArray() || cases.isEmpty()) {
            problems.add(new Problem(path + ".cases", "a branch needs at least one case: [{\"when\": {…}, \"next\": \"…\"}]"));
        } else {
            for (int i = 0; i < cases.size(); i++) {
                String at = path + ".cases[" + i + "]";
                if (!present(cases.get(i).get("when"))) {
                    problems.add(new Problem(at + ".when", "is required: a condition"));
                } else {
                    condition(cases.get(i).get("when"), at + ".when", true, problems);
                }
                next.put(at + ".next", cases.get(i).get("next"));
            }
        }
        next.put(path + ".else", step.get("else"));
    }

    private static void split(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        JsonNode arms = step.get("arms");
        if (arms == null || !arms.isArray() || arms.size() < 2) {
            problems.add(new Problem(path + ".arms", "a split needs at least two arms: [{\"name\": \"A\", \"percent\": 50, \"next\": \"…\"}, …]"));
            return;
        }
        int total = 0;
        for (int i = 0; i < arms.size(); i++) {
            JsonNode percent = arms.get(i).get("percent");
            if (percent == null || !percent.isInt() || percent.asInt() < 0 || percent.asInt() > 100) {
                problems.add(new Problem(path + ".arms[" + i + "].percent", "must be a whole number from 0 to 100"));
            } else {
                total += percent.asInt();
            }
            next.put(path + ".arms[" + i + "].next", arms.get(i).get("next"));
        }
        if (total != 100) {
            problems.add(new Problem(path + ".arms", "percentages must add up to 100; they add up to " + total));
        }
    }

    private static void updateTags(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        JsonNode tags = step.get("tags");
        if (tags == null || !tags.isObject() || tags.isEmpty()) {
            problems.add(new Problem(path + ".tags", "is required: an object of tag name to value (null deletes it)"));
        } else {
            tags.fields().forEachRemaining(f -> {
                JsonNode v = f.getValue();
                boolean ok = v.isValueNode() || (v.isArray() && (allOf(v, JsonNode::isTextual) || allOf(v, JsonNode::isNumber)));
                if (!ok) {
                    problems.add(new Problem(path + ".tags." + f.getKey(), "must be a string, number, boolean, null, or an array of all strings or all numbers"));
                }
            });
        }
        next.put(path + ".next", step.get("next"));
    }

    private void fetch(JsonNode step, String path, List<Problem> problems, Map<String, JsonNode> next) {
        JsonNode request = step.get("request");
        if (request == null || !request.isObject()) {
            problems.add(new Problem(path + ".request", "is required: {\"method\": \"GET\", \"url\": \"https://…\", \"headers\": {…}}"));
        } else {
            fetchRequest(request, path + ".request", problems);
        }
        JsonNode timeout = step.get("timeout");
        if (present(timeout)) {
            duration(timeout, path + ".timeout", true, problems);
            if (timeout.isTextual() && problems.stream().noneMatch(p -> p.path().equals(path + ".timeout"))
                    && Durations.parse(timeout.asText()).compareTo(FetchStep.MAX_TIMEOUT) > 0) {
                problems.add(new Problem(path + ".timeout", "must be at most PT30S: an attempt holds the instance while it waits"));
            }
        }
        JsonNode retries = step.get("retries");
        if (present(retries) && (!retries.isIntegralNumber() || !retries.canConvertToInt() || retries.asInt() < 0
                || retries.asInt() > FetchStep.MAX_RETRIES)) {
            problems.add(new Problem(path + ".retries", "must be a whole number from 0 to " + FetchStep.MAX_RETRIES));
        }
        next.put(path + ".next", step.get("next"));
        next.put(path + ".onFailure", step.get("onFailure"));
    }

    private void fetchRequest(JsonNode request, String path, List<Problem> problems) {
        JsonNode method = request.get("method");
        boolean post = method != null && "POST".equals(method.asText());
        if (present(method) && (!method.isTextual() || !FetchStep.METHODS.contains(method.asText()))) {
            problems.add(new Problem(path + ".method", "must be one of " + FetchStep.METHODS));
        }
        Map<String, String> sources = new LinkedHashMap<>();
        JsonNode url = request.get("url");
        if (!nonBlank(url)) {
            problems.add(new Problem(path + ".url", "is required: an http or https URL (Liquid allowed after the host)"));
        } else {
            sources.put("url", url.asText());
            fetchUrl(url.asText(), path + ".url", problems);
        }
        JsonNode headers = request.get("headers");
        if (present(headers)) {
            if (!headers.isObject()) {
                problems.add(new Problem(path + ".headers", "must be an object of header name to value (Liquid)"));
            } else {
                headers.fields().forEachRemaining(h -> {
                    String at = path + ".headers." + h.getKey();
                    if (!HEADER_NAME.matcher(h.getKey()).matches()) {
                        problems.add(new Problem(at, "is not a valid header name"));
                    } else if (RESERVED_HEADERS.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                        problems.add(new Problem(at, "is set by the engine"));
                    } else if (!h.getValue().isTextual()) {
                        problems.add(new Problem(at, "must be a string (Liquid)"));
                    } else {
                        sources.put("headers." + h.getKey(), h.getValue().asText());
                    }
                });
            }
        }
        JsonNode body = request.get("body");
        if (present(body)) {
            if (!post) {
                problems.add(new Problem(path + ".body", "only a POST has a body"));
            } else if (!body.isTextual()) {
                problems.add(new Problem(path + ".body", "must be a string of Liquid, e.g. the JSON text to send"));
            } else {
                sources.put("body", body.asText());
            }
        }
        for (TemplateError error : templates.validate(sources)) {
            // Most messages begin with their place already; the others get it.
            boolean placed = error.line() == 0 || error.message().startsWith("line ");
            problems.add(new Problem(path + "." + error.field(), placed ? error.message()
                    : "line " + error.line() + ", column " + error.column() + ": " + error.message()));
        }
    }

    /**
     * The scheme must be written out, never rendered; the host is checked against the outbound policy
     * when it is written out too (a host that comes from a template is checked when the request is made).
     */
    private void fetchUrl(String url, String path, List<Problem> problems) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
            problems.add(new Problem(path, "must start with http:// or https://"));
            return;
        }
        int template = firstDelimiter(url);
        int authorityStart = url.indexOf("://") + 3;
        int authorityEnd = authorityStart;
        while (authorityEnd < url.length() && "/?#".indexOf(url.charAt(authorityEnd)) < 0) {
            authorityEnd++;
        }
        if (template >= 0 && template < authorityEnd) {
            return;
        }
        String literal = url.substring(0, authorityEnd);
        try {
            URI uri = new URI(literal);
            if (uri.getHost() == null) {
                problems.add(new Problem(path, "must name a host: an absolute http or https URL"));
                return;
            }
        } catch (URISyntaxException e) {
            problems.add(new Problem(path, "must be an absolute http or https URL"));
            return;
        }
        outbound.problem(literal).ifPresent(refused -> problems.add(new Problem(path, refused)));
    }

    /** Where Liquid begins in a text ({@code <<}, {@code {{} or {@code {%}), or -1. */
    private static int firstDelimiter(String text) {
        int first = -1;
        for (String delimiter : List.of("<<", "{{", "{%")) {
            int at = text.indexOf(delimiter);
            if (at >= 0 && (first < 0 || at < first)) {
                first = at;
            }
        }
        return first;
    }

    /**
     * A condition, recursively. {@code history}: whether {"event": …} conditions may appear — they
     * query the subject's history, which triggers and branches can do but conditions checked inside
     * the workflow (exitOn, goal, waitForEvent) cannot.
     */
    void condition(JsonNode c, String path, boolean history, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            problems.add(new Problem(path, "a condition must be an object"));
            return;
        }
        if (c.has("all") || c.has("any")) {
            String key = c.has("all") ? "all" : "any";
            JsonNode list = c.get(key);
            if (!list.isArray() || list.isEmpty()) {
                problems.add(new Problem(path + "." + key, "must be a non-empty array of conditions"));
                return;
            }
            for (int i = 0; i < list.size(); i++) {
                condition(list.get(i), path + "." + key + "[" + i + "]", history, problems);
            }
        } else if (c.has("not")) {
            condition(c.get("not"), path + ".not", history, problems);
        } else if (c.has("path")) {
            compare(c, path, problems);
        } else if (c.has("event")) {
            if (!history) {
                problems.add(new Problem(path, "a condition on the user's event history cannot be used here; use it in a trigger or a branch"));
                return;
            }
            eventCount(c, path, problems);
        } else if (c.has("segment")) {
            if (!history) {
                problems.add(new Problem(path, "a segment condition cannot be used here; use it in a trigger or a branch"));
            } else if (!nonBlank(c.get("segment"))) {
                problems.add(new Problem(path + ".segment", "must be a segment id"));
            }
        } else {
            problems.add(new Problem(path, "a condition needs one of \"all\", \"any\", \"not\", \"path\" or \"event\""));
        }
    }

    private static void compare(JsonNode c, String path, List<Problem> problems) {
        String p = c.get("path").asText("");
        String root = p.contains(".") ? p.substring(0, p.indexOf('.')) : p;
        if (!c.get("path").isTextual() || !PATH_ROOTS.contains(root) || p.endsWith(".")) {
            problems.add(new Problem(path + ".path", "must start with data., entry_event., user. or fetched. (e.g. \"data.amount\", "
                    + "\"user.tags.tier\", \"fetched.profile.tier\")"));
        }
        Operator op;
        try {
            op = Operator.of(c.path("op").asText(null));
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(path + ".op", e.getMessage()));
            return;
        }
        boolean hasValue = c.has("value");
        boolean hasFrom = present(c.get("valueFrom"));
        if (op.needsValue() && !hasValue && !hasFrom) {
            problems.add(new Problem(path + ".value", "is required with \"" + op.json() + "\" (or \"valueFrom\": a path)"));
        }
        if (op == Operator.IN && hasValue && !c.get("value").isArray()) {
            problems.add(new Problem(path + ".value", "must be an array with \"in\""));
        }
    }

    private void eventCount(JsonNode c, String path, List<Problem> problems) {
        if (!nonBlank(c.get("event"))) {
            problems.add(new Problem(path + ".event", "is required: the event type"));
        }
        JsonNode since = c.has("since") ? c.get("since") : c.get("within");
        String sinceKey = c.has("since") ? "since" : "within";
        if (present(since) && !"entry".equals(since.asText())) {
            duration(since, path + "." + sinceKey, true, problems);
        }
        for (String bound : List.of("from", "to")) {
            if (present(c.get(bound)) && (!c.get(bound).isTextual() || !isoTime(c.get(bound).asText()))) {
                problems.add(new Problem(path + "." + bound, "must be an ISO-8601 time with offset from year 1 to 9999, e.g. \"2024-01-01T00:00:00Z\""));
            }
        }
        if (present(c.get("where"))) {
            condition(c.get("where"), path + ".where", false, problems);
        }
        JsonNode count = c.get("count");
        if (present(count)) {
            if (!count.isObject() || count.isEmpty()) {
                problems.add(new Problem(path + ".count", "must be an object such as {\"gte\": 3}"));
            } else {
                count.fields().forEachRemaining(f -> {
                    if (!COUNT_OPS.contains(f.getKey())) {
                        problems.add(new Problem(path + ".count." + f.getKey(), "unknown comparison; expected one of " + COUNT_OPS));
                    } else if (!f.getValue().canConvertToLong() || !f.getValue().isIntegralNumber() || f.getValue().asLong() < 0) {
                        problems.add(new Problem(path + ".count." + f.getKey(), "must be a whole number of 0 or more"));
                    }
                });
            }
        }
    }

    /** A trigger is decided before any step has run: nothing has been fetched yet. */
    private static void noFetched(JsonNode c, String path, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            return;
        }
        for (String key : List.of("all", "any")) {
            if (c.has(key) && c.get(key).isArray()) {
                for (int i = 0; i < c.get(key).size(); i++) {
                    noFetched(c.get(key).get(i), path + "." + key + "[" + i + "]", problems);
                }
            }
        }
        if (c.has("not")) {
            noFetched(c.get("not"), path + ".not", problems);
        }
        for (String key : List.of("path", "valueFrom")) {
            if (c.path(key).asText("").startsWith("fetched.")) {
                problems.add(new Problem(path + "." + key, "a trigger is decided before any step runs: nothing is fetched yet"));
            }
        }
    }

    /**
     * Checks a segment's condition: what a segment can see is the user's tags and id, their events
     * (by a duration back from now or between dates — there is no "entry" for a segment) and other
     * segments.
     */
    public List<Problem> validateSegment(JsonNode condition) {
        List<Problem> problems = new ArrayList<>();
        if (condition == null || condition.isNull()) {
            problems.add(new Problem("condition", "is required"));
            return problems;
        }
        if (tooBig(condition, "condition", MAX_SEGMENT_CONDITION_BYTES, problems)) {
            return problems;
        }
        condition(condition, "condition", true, problems);
        segmentScope(condition, "condition", problems);
        return problems;
    }

    private static void segmentScope(JsonNode c, String path, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            return;
        }
        for (String key : List.of("all", "any")) {
            if (c.has(key) && c.get(key).isArray()) {
                for (int i = 0; i < c.get(key).size(); i++) {
                    segmentScope(c.get(key).get(i), path + "." + key + "[" + i + "]", problems);
                }
            }
        }
        if (c.has("not")) {
            segmentScope(c.get("not"), path + ".not", problems);
        }
        if (c.has("path") && !c.path("path").asText("").startsWith("user.")) {
            problems.add(new Problem(path + ".path", "a segment looks at the user: use user.tags.… or user.id (event data goes in an event condition's where)"));
        }
        if (c.has("event")) {
            JsonNode since = c.has("since") ? c.get("since") : c.get("within");
            if (since != null && "entry".equals(since.asText())) {
                problems.add(new Problem(path + "." + (c.has("since") ? "since" : "within"), "a segment has no entry: use a duration such as \"P30D\", or from/to"));
            }
            whereScope(c.get("where"), path + ".where", problems);
        }
    }

    private static void whereScope(JsonNode c, String path, List<Problem> problems) {
        if (c == null || !c.isObject()) {
            return;
        }
        for (String key : List.of("all", "any")) {
            if (c.has(key) && c.get(key).isArray()) {
                for (int i = 0; i < c.get(key).size(); i++) {
                    whereScope(c.get(key).get(i), path + "." + key + "[" + i + "]", problems);
                }
            }
        }
        if (c.has("not")) {
            whereScope(c.get("not"), path + ".not", problems);
        }
        if (c.has("path") && !c.path("path").asText("").startsWith("data.")) {
            problems.add(new Problem(path + ".path", "conditions on a segment's events look at data.…"));
        }
    }

    /** Every {"segment": id} in a condition, by its path, so callers can check the ids exist. */
    public static Map<String, String> segmentReferences(JsonNode c, String path) {
        Map<String, String> refs = new LinkedHashMap<>();
        collectSegments(c, path, refs);
        return refs;
    }

    private static void collectSegments(JsonNode c, String path, Map<String, String> refs) {
        if (c == null || !c.isObject()) {
            return;
        }
        if (c.has("segment")) {
            refs.put(path + ".segment", c.get("segment").asText());
        }
        for (String key : List.of("all", "any")) {
            if (c.has(key) && c.get(key).isArray()) {
                for (int i = 0; i < c.get(key).size(); i++) {
                    collectSegments(c.get(key).get(i), path + "." + key + "[" + i + "]", refs);
                }
            }
        }
        if (c.has("not")) {
            collectSegments(c.get("not"), path + ".not", refs);
        }
    }

    /**
     * An ISO-8601 time with offset from year 1 to 9999: outside PostgreSQL's range (and Java's Timestamp's), a
     * segment's count or a branch's history query failed with it.
     */
    private static boolean isoTime(String s) {
        try {
            int year = java.time.OffsetDateTime.parse(s).atZoneSameInstant(java.time.ZoneOffset.UTC).getYear();
            return year >= 1 && year <= 9999;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static void duration(JsonNode node, String path, boolean required, List<Problem> problems) {
        if (!present(node)) {
            if (required) {
                problems.add(new Problem(path, "is required: an ISO-8601 duration such as \"P3D\" or \"PT1H\""));
            }
            return;
        }
        try {
            java.time.Duration d = Durations.parse(node.asText());
            if (d.isZero() || d.isNegative()) {
                problems.add(new Problem(path, "must be longer than zero"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new Problem(path, e.getMessage()));
        }
    }

    /** Every step reachable from the first; no loop that never waits (it would spin forever). */
    private static void graph(Map<String, Integer> index, Map<String, List<String>> edges, Set<String> waiting, List<Problem> problems) {
        if (index.isEmpty()) {
            return;
        }
        String first = index.keySet().iterator().next();
        Set<String> reached = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of(first));
        while (!todo.isEmpty()) {
            String id = todo.pop();
            if (index.containsKey(id) && reached.add(id)) {
                todo.addAll(edges.getOrDefault(id, List.of()));
            }
        }
        index.forEach((id, i) -> {
            if (!reached.contains(id)) {
                problems.add(new Problem("steps[" + i + "]", "step \"" + id + "\" is unreachable from the first step"));
            }
        });
        Map<String, Integer> state = new HashMap<>();
        for (String id : index.keySet()) {
            List<String> loop = findLoop(id, edges, waiting, state, new ArrayList<>());
            if (loop != null) {
                problems.add(new Problem("steps[" + index.get(loop.get(0)) + "]", "steps " + loop + " form a loop without a wait"));
                return;
            }
        }
    }

    /** Depth-first search over the steps that do not wait; a back edge there is a loop that never waits. */
    private static List<String> findLoop(String id, Map<String, List<String>> edges, Set<String> waiting,
                                         Map<String, Integer> state, List<String> stack) {
        if (waiting.contains(id) || !edges.containsKey(id) || state.getOrDefault(id, 0) == 2) {
            return null;
        }
        if (state.getOrDefault(id, 0) == 1) {
            return new ArrayList<>(stack.subList(stack.indexOf(id), stack.size()));
        }
        state.put(id, 1);
        stack.add(id);
        for (String next : edges.get(id)) {
            List<String> loop = findLoop(next, edges, waiting, state, stack);
            if (loop != null) {
                return loop;
            }
        }
        stack.remove(stack.size() - 1);
        state.put(id, 2);
        return null;
    }

    private static boolean allOf(JsonNode array, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode item : array) {
            if (!test.test(item)) {
                return false;
            }
        }
        return true;
    }

    private static boolean present(JsonNode node) {
        return node != null && !node.isNull();
    }

    private static boolean nonBlank(JsonNode node) {
        return node != null && node.isTextual() && !node.asText().isBlank();
    }
}
