package dev.journey.api.access;

import jakarta.enterprise.context.RequestScoped;

/** Who the current request authenticated as, set by the auth filter for the resource to consult. */
@RequestScoped
public class Caller {
    private KeyScope scope;

    public void authenticatedWith(KeyScope scope) {
        this.scope = scope;
    }

    /** Whether the request came with a publishable key, which may act only for the user it names. */
    public boolean publishable() {
        return scope == KeyScope.PUBLISHABLE;
    }
}
