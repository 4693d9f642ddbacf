package dev.journey.api.project;

import java.util.List;

import dev.journey.api.error.ApiError;
import dev.journey.api.error.ApiException;

/**
 * How many of each configuration object one project may hold. Their lists are answered whole (what
 * grows without bound — events, instances, messages, members, dead letters — pages instead), so
 * they are bounded at creation: far above what a team writes by hand, far below what a runaway
 * script could make.
 */
public enum ProjectQuota {
    JOURNEYS("journeys", 1000),
    SEGMENTS("segments", 1000),
    TEMPLATES("templates", 1000),
    SNIPPETS("snippets", 1000),
    CHANNELS("channels", 100),
    /** Subscription topics: every one is a line of the preference page. */
    TOPICS("topics", 200),
    /** Broadcasts are kept with their stats; a daily one for decades fits. */
    BROADCASTS("broadcasts", 10_000),
    /** Active keys only (a rotated key in its grace period counts); revoked ones stay as rows but are not listed. */
    API_KEYS("API keys", 100);

    private final String what;
    private final int max;

    ProjectQuota(String what, int max) {
        this.what = what;
        this.max = max;
    }

    public int max() {
        return max;
    }

    /** Refuses (422) to create one more when the project holds {@link #max()} already. */
    public void check(long held) {
        if (held >= max) {
            throw ApiException.unprocessable("the project holds " + held + " " + what + ", the most it may",
                    List.of(new ApiError.Detail("", "a project holds at most " + max + " " + what + "; delete some first")));
        }
    }
}
