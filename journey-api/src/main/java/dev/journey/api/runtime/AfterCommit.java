package dev.journey.api.runtime;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * Runs something once the current transaction has committed (nothing on a rollback): how an in-memory
 * copy of rows learns that they changed. Dropped before the commit, the copy could be loaded again from
 * the rows as they still were, by a request or the dispatcher in between, and kept.
 */
public final class AfterCommit {
    private AfterCommit() {}

    public static void run(TransactionSynchronizationRegistry transactions, Runnable action) {
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {}

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    action.run();
                }
            }
        });
    }
}
