package dev.journey.worker.dsl;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One part of a condition as it was evaluated — what "why" shows: which part, what it read, how it
 * compared and with what result. Only the parts that decided the outcome are listed: an {@code all}
 * stops at its first false part, an {@code any} at its first true one.
 *
 * @param at       where the part sits in the condition ({@code all[1].any[0]}; empty for a condition that is one part)
 * @param field    the compared path ({@code data.amount}), the counted event type, or the segment id
 * @param op       the operator ({@code gte}), {@code count} for an event count, {@code in} for a segment
 * @param expected the value compared with (for an event count, its bounds such as {@code {"gte": 3}})
 * @param actual   the value found (null when absent), the number of events counted, or the membership
 * @param negated  the part sits under an odd number of {@code not}s, so its result was reversed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConditionCheck(String at, String field, String op, Object expected, Object actual, boolean result, Boolean negated) {
    /** The same check placed inside a larger document ({@code trigger.where}, {@code cases[0].when}). */
    public ConditionCheck under(String prefix) {
        return new ConditionCheck(at.isEmpty() ? prefix : prefix + "." + at, field, op, expected, actual, result, negated);
    }
}
