package io.syncexec.execution;

import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Progress;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;


/**
 * Executions: their records, per-date outcomes and counters, task tokens, the slots of a sync's
 * concurrent dates, and the index of active runs. Conditional writes answer whether they wrote.
 */
public interface ExecutionRepository {
    /** How many per-date outcomes an execution read with {@link #get} carries; {@link #outcomes} pages the rest. */
    int FIRST_PAGE = 31;

    /** An execution item built and measured, ready to write: building it cannot fail after a lock is taken. */
    /** An execution ready to be written, measured against the store's limits: {@link #prepare} makes one. */
    interface NewItem {
        Execution execution();
    }

    /** As {@link #create(NewItem)}, the item prepared here. */
    boolean create(Execution execution);

    /**
     * Writes a prepared execution item, unless an execution of that id exists already.
     *
     * @return false when the execution existed (nothing written)
     */
    boolean create(NewItem prepared);

    /**
     * Builds the item of a new execution without writing it, and checks it fits in one DynamoDB
     * item (a plan of any run the spec allows does: 3,660 dates gzip to a few KB).
     *
     * @throws IllegalStateException when the item could never be written
     */
    NewItem prepare(Execution execution);

    /** The execution with its counters, without per-date outcomes (one read: its size does not depend on the dates). */
    Optional<Execution> get(String clientId, String syncId, String executionId);

    /** The execution with the first page of its per-date outcomes, as the API shows it. */
    Optional<Execution> getWithOutcomes(String clientId, String syncId, String executionId);

    /** {@code execution} with the first page of its per-date outcomes (one query). */
    Execution withFirstPage(Execution execution);

    /** A page of the sync's executions, newest first, without per-date outcomes. */
    Page list(String clientId, String syncId, int limit, String startAfterExecutionId);

    /**
     * A page of the sync's executions that pass {@code filter}, newest first, without per-date
     * outcomes. DynamoDB reads every execution to filter it (a filter costs what reading costs), so
     * one call looks at {@link #MAX_EXAMINED} executions at most: a page may hold fewer than
     * {@code limit}, even none, and still have a next page ({@code lastExecutionId} not null) when
     * older executions remain to look at.
     */
    Page list(String clientId, String syncId, int limit, String startAfterExecutionId, ExecutionFilter filter);

    record Page(List<Execution> executions, String lastExecutionId) {
    }

    /** Where an execution that has not ended is: its client, sync and id. */
    record ActiveRef(String clientId, String syncId, String executionId) {
    }

    /** Every execution that has not ended, from the sparse index: O(active executions), never the whole table. */
    List<ActiveRef> active();

    /**
     * Records the operator's decision on an execution waiting for it, if its plan digest is
     * still {@code planDigest}. A confirmation moves it to RUNNING; a decline ends it CANCELLED
     * with every date cancelled.
     *
     * @return the execution after the decision, or empty when it was not waiting any more
     */
    Optional<Execution> decide(Execution execution, Confirmation confirmation);

    /** Asks a running execution to stop dispatching; idempotent. */
    Optional<Execution> requestCancel(Execution execution, Cancellation cancellation);

    /** Ends an execution that never got going (its workflow could not start). */
    void markFailed(Execution execution, String error, Instant at);

    /** The stored task token of the execution's confirmation wait, if the workflow reached it. Only the API's role may read it. */
    Optional<String> taskToken(String clientId, String syncId, String executionId);

    /** Forgets the confirmation wait's token once it was answered (or answered itself). */
    void removeConfirmationToken(String clientId, String syncId, String executionId);

    /**
     * Keeps the confirmation wait's task token, unless the operator already decided. The token
     * is written first, then the execution read: a decision recorded before that read is answered
     * by the caller (and the token item deleted); one recorded after it finds the token and is
     * answered by the API. Both may answer a decision recorded in between: the same decision,
     * and the second answer is ignored.
     *
     * @return empty when the token was stored; the execution when a decision was already recorded
     */
    Optional<Execution> storeConfirmationToken(String clientId, String syncId, String executionId, String token);

    /** Keeps the token that the worker recording the last outcome completes. */
    void storeCompletionToken(String clientId, String syncId, String executionId, String token);

    Optional<String> completionToken(String clientId, String syncId, String executionId);

    /** Forgets the import wait's token once it was answered (only if it is still that token). */
    void removeCompletionToken(String clientId, String syncId, String executionId, String token);

    /**
     * Records outcomes of a running execution, one item per date (SPEC invariant 10), and adds
     * them to the execution's counters in one update. {@code exclusive} outcomes are ones only
     * their writer can produce (it claimed the date and imported it or recorded its last failure):
     * they are written in batches. {@code shared} ones (skipped, already imported by this run,
     * cancelled) may be produced again by a repeated delivery: each is written only if the date
     * has no outcome yet. The counters are added only for what was written, conditional on the
     * counting epoch read with the execution, so a recount in between makes the add fail and the
     * writer recounts instead: a date is counted once (invariant 6).
     *
     * @return what was written, and the execution's progress after it
     */
    Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared);

    /** The same, giving back {@code holder}'s slot ({@link #enterSlot}) in the counter add; or on its own when there is none. */
    Recorded recordOutcomes(Execution execution, long epoch, List<DateOutcome> exclusive, List<DateOutcome> shared, String holder);

    /**
     * What {@link #recordOutcomes} wrote: how many new outcomes, whether some date already had one,
     * the progress, and whether the counter add gave a slot back.
     */
    record Recorded(int written, boolean foundRecorded, Progress progress, boolean released) {
        public Recorded(int written, boolean foundRecorded, Progress progress) {
            this(written, foundRecorded, progress, false);
        }
    }

    /**
     * A worker's try at one of the run's {@code cap} slots : the execution,
     * read by the same request, whether the slot is held, and otherwise how many are held and when
     * the first of their leases ends.
     */
    record SlotEntry(Execution execution, boolean entered, int held, Instant firstLeaseEnd) {
    }

    /** Takes one of the run's {@code cap} slots for {@code holder} until {@code leaseUntil}; null when the execution does not exist. */
    SlotEntry enterSlot(String clientId, String syncId, String executionId, String holder, int cap, Instant now, Instant leaseUntil);

    /** Gives {@code holder}'s slot back. Safe to repeat. */
    void leaveSlot(String clientId, String syncId, String executionId, String holder);

    /**
     * Sets the counters of an execution that has not ended to what its outcome items say, if they
     * differ (a writer died between its items and its counters, or a date was recorded twice),
     * and moves the counting epoch so that an add begun before this fails and recounts.
     *
     * @return the exact progress
     */
    Progress recount(Execution execution);

    /** The dates of the execution that have an outcome item. One query per page of about 1 MB. */
    Set<LocalDate> recordedDates(Execution execution);

    /** When the execution's latest outcome was recorded, from its outcome items; null if none. */
    Instant lastOutcomeAt(Execution execution);

    /** The newest date this execution imported, from its outcome items; null if none. */
    LocalDate lastImportedDate(Execution execution);

    /**
     * One page of an execution's per-date outcomes, in date order, after {@code afterDate} (null:
     * from the first): a planned date without an outcome item is PENDING while the execution runs,
     * and counts as its unrecorded outcome once it ended. One query per page.
     */
    OutcomePage outcomes(Execution execution, LocalDate afterDate, int limit);

    /** A page of outcomes and the last date it holds when more follow (else null). */
    record OutcomePage(List<DateOutcome> outcomes, LocalDate lastDate) {
    }

    /**
     * Ends an execution with the status {@code status} gives for its counters, counted from its
     * outcome items; dates without an outcome count as {@code unrecorded} (CANCELLED or FAILED),
     * so that imported + skipped + failed + cancelled = planned. Conditional on the counting epoch
     * read before the count, so a late outcome cannot be counted twice, and the status always
     * matches the counters it was chosen from.
     *
     * @return the execution as it ended, or empty when it had already ended
     */
    Optional<Execution> finish(Execution execution, Function<Progress, ExecutionStatus> status, Outcome unrecorded,
                               String error, Instant at);
}
