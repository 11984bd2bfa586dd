package io.syncexec.execution;

import io.syncexec.error.Reason;
import io.syncexec.error.Refusal;
import io.syncexec.execution.Execution.Cancellation;
import io.syncexec.execution.Execution.Confirmation;
import io.syncexec.execution.Execution.DateOutcome;
import io.syncexec.execution.Execution.Decision;
import io.syncexec.execution.Execution.Progress;
import io.syncexec.plan.ExecutionRequest;
import io.syncexec.plan.Plan;
import io.syncexec.plan.Planner;
import io.syncexec.sync.Sync;
import io.syncexec.sync.SyncRepository;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Plans, starts, confirms and cancels executions. Every check that can refuse a request runs
 * before the first write, so a refused request changes nothing.
 */
public final class ExecutionService {
    /** Who requested the runs the schedule starts. */
    public static final String SCHEDULER = "schedule";
    /**
     * How long after taking a lock its start may still be on its way (the record not yet written,
     * the workflow not yet started): Lambda's longest timeout, so the invocation that took it is
     * over by then, and a holder without a record or a workflow is dead, not starting.
     */
    public static final Duration START_GRACE = Duration.ofMinutes(15);

    private final SyncRepository syncs;
    private final ExecutionRepository executions;
    private final Planner planner;
    private final Workflow workflow;
    private final ExecutionFinisher finisher;
    private final Clock clock;
    private final Duration confirmationTimeout;
    private final Duration lockDuration;
    private RunTelemetry telemetry;

    public ExecutionService(SyncRepository syncs, ExecutionRepository executions, Planner planner, Workflow workflow,
                            ExecutionFinisher finisher, Clock clock, Duration confirmationTimeout, Duration lockDuration) {
        this.syncs = syncs;
        this.executions = executions;
        this.planner = planner;
        this.workflow = workflow;
        this.finisher = finisher;
        this.clock = clock;
        this.confirmationTimeout = confirmationTimeout;
        this.lockDuration = lockDuration;
        this.telemetry = RunTelemetry.logsOnly("api", clock);
    }

    /** Where the starts, decisions and lock takeovers of this service are told (logs, metrics, events). */
    public ExecutionService withTelemetry(RunTelemetry telemetry) {
        this.telemetry = telemetry;
        return this;
    }

    /** The answer to a create call: a dry run's preview or the execution that was created. */
    public sealed interface Created permits DryRun, Started {
    }

    public record DryRun(Preview preview) implements Created {
    }

    public record Started(Execution execution) implements Created {
    }

    public Created create(Sync sync, ExecutionRequest request, Trigger trigger, String requestedBy) {
        return create(sync, request, trigger, requestedBy, ExecutionIds.next(clock.instant()));
    }

    /** What a scheduled start did. */
    public enum ScheduledStart {
        /** A default run was recorded and its workflow started. */
        STARTED,
        /** This due instant's run exists already (a message delivered twice): nothing written. */
        ALREADY_STARTED,
        /** No date is missing: nothing written, no empty record (a manual run with nothing to do is still recorded). */
        NOTHING_TO_DO
    }

    /**
     * Starts the scheduled default run of {@code sync} claimed by the tick at {@code tick}. Its id is
     * derived from (sync, tick) (time-ordered like every id), so a start delivered twice starts
     * nothing twice; a plan with no dates writes nothing.
     */
    public ScheduledStart createScheduled(Sync sync, Instant tick) {
        String executionId = ExecutionIds.forTick(sync.key(), tick);
        if (executions.get(sync.clientId(), sync.syncId(), executionId).isPresent()) {
            return ScheduledStart.ALREADY_STARTED;
        }
        Plan plan = planner.plan(sync, ExecutionRequest.defaultRun());
        if (plan.isEmpty()) {
            return ScheduledStart.NOTHING_TO_DO;
        }
        return start(sync, ExecutionRequest.defaultRun(), Trigger.SCHEDULE, SCHEDULER, executionId, plan).isPresent()
                ? ScheduledStart.STARTED : ScheduledStart.ALREADY_STARTED;
    }

    private Created create(Sync sync, ExecutionRequest request, Trigger trigger, String requestedBy, String executionId) {
        return start(sync, request, trigger, requestedBy, executionId, planner.plan(sync, request))
                .orElseThrow(() -> new IllegalStateException("execution " + executionId + " exists already"));
    }

    /** Plans and starts a run; empty when an execution of {@code executionId} exists already (not this call's: the sync is freed). */
    private Optional<Created> start(Sync sync, ExecutionRequest request, Trigger trigger, String requestedBy, String executionId, Plan plan) {
        Instant now = clock.instant();
        if (request.planDigest() != null && !request.planDigest().equals(plan.planDigest())) {
            throw new Refusal(Reason.PLAN_CHANGED,
                    "The ledger changed since the preview; review the new plan before executing.",
                    Map.of("planDigest", plan.planDigest()));
        }
        if (request.dryRun()) {
            return Optional.of(new DryRun(new Preview(sync.clientId(), sync.syncId(), request.mode(), request.forced(), true, plan,
                    sync.activeExecutionIdAt(now))));
        }
        if (sync.paused() != null) {
            throw paused(sync);
        }
        if (plan.isEmpty()) {
            Execution done = newExecution(executionId, sync, request, trigger, requestedBy, plan, ExecutionStatus.SUCCEEDED, now);
            if (!executions.create(done)) {
                return Optional.empty();
            }
            telemetry.started(done);
            return Optional.of(new Started(done));
        }
        Plan confirmable = plan.withConfirmationDeadline(now.plus(confirmationTimeout));
        ExecutionStatus status = plan.requiresConfirmation() ? ExecutionStatus.AWAITING_CONFIRMATION : ExecutionStatus.RUNNING;
        Execution execution = newExecution(executionId, sync, request, trigger, requestedBy, confirmable, status, now);
        // Built and measured before the lock: whatever cannot be recorded never takes the sync.
        ExecutionRepository.NewItem record = executions.prepare(execution);
        lock(sync, executionId, now);
        boolean created;
        try {
            created = executions.create(record);
        } catch (RuntimeException e) {
            // Release the lock, or every start would answer "in progress" for an execution nobody
            // can see until START_GRACE is over. If the write did happen after all (its answer was
            // lost), the record is ended FAILED first, so that it does not show RUNNING for ever.
            try {
                executions.markFailed(execution, "The execution could not be recorded; nothing was started.", clock.instant());
            } catch (RuntimeException notRecorded) {
                // The usual case: there is no record to end.
            }
            syncs.unlock(sync.clientId(), sync.syncId(), executionId);
            throw new Refusal(Reason.SERVICE_UNAVAILABLE,
                    "The execution could not be recorded; nothing was started. Try again in a moment.", Map.of());
        }
        if (!created) {
            syncs.unlock(sync.clientId(), sync.syncId(), executionId); // a record of this id exists: not ours
            return Optional.empty();
        }
        try {
            workflow.start(execution);
        } catch (RuntimeException e) {
            failUnstarted(execution);
            throw new Refusal(Reason.SERVICE_UNAVAILABLE,
                    "The execution could not be started; nothing was imported. Try again in a moment.",
                    Map.of("executionId", executionId));
        }
        telemetry.started(execution);
        return Optional.of(new Started(execution));
    }

    /** Ends an execution whose workflow never started (nothing was dispatched) and frees its sync. */
    private void failUnstarted(Execution execution) {
        executions.markFailed(execution, "The workflow could not be started.", clock.instant());
        syncs.unlock(execution.clientId(), execution.syncId(), execution.executionId());
    }

    /**
     * Takes the sync's lock. A lock still held by an execution that is over is released here
     * rather than reported as "already running": one that has ended (its finalizer released
     * nothing), one whose workflow ended without finalizing it (Finalize failed for good, or the
     * workflow was stopped or timed out: it ends as Finalize would end a failed workflow), and one
     * whose start died before its workflow (or its record) existed. Only this conflicting path asks
     * the workflow engine anything: one request.
     */
    private void lock(Sync sync, String executionId, Instant now) {
        Instant until = now.plus(lockDuration);
        for (int attempt = 0; attempt < 2; attempt++) {
            if (syncs.tryLock(sync.clientId(), sync.syncId(), executionId, now, until)) {
                return;
            }
            Sync current = syncs.get(sync.clientId(), sync.syncId()).orElseThrow(() -> notFound("sync", sync.syncId()));
            if (current.paused() != null) {
                throw paused(current); // paused since it was read
            }
            String holder = current.activeExecutionIdAt(now);
            if (holder == null) {
                continue;
            }
            Optional<Execution> active = executions.get(sync.clientId(), sync.syncId(), holder);
            if (active.isEmpty()) {
                // Locked but not recorded yet: a start on its way, unless the lock is older than any start.
                if (now.isBefore(current.activeUntil().minus(lockDuration).plus(START_GRACE))) {
                    throw inProgress(holder);
                }
                syncs.unlock(sync.clientId(), sync.syncId(), holder);
            } else if (active.get().status().terminal()) {
                syncs.unlock(sync.clientId(), sync.syncId(), holder);
            } else {
                endIfItsWorkflowHasEnded(active.get(), now);
            }
        }
        throw new Refusal(Reason.EXECUTION_IN_PROGRESS,
                "Another execution of this sync is starting; try again in a moment.", Map.of());
    }

    /**
     * Ends {@code holder} if its workflow will not: it has ended, or it never started and its
     * start is over. Otherwise (running, starting, or the engine does not answer) the sync stays
     * locked.
     */
    private void endIfItsWorkflowHasEnded(Execution holder, Instant now) {
        Workflow.State state;
        try {
            state = workflow.state(holder);
        } catch (RuntimeException e) {
            state = Workflow.State.RUNNING; // cannot tell: as before, the lock's expiry frees the sync
        }
        switch (state) {
            case ENDED -> telemetry.lockTakenOver(holder, finisher.fail(holder, "The workflow stopped before it finished this "
                    + "execution (it failed, timed out or was stopped); dates without an outcome count as failed."));
            case NOT_STARTED -> {
                if (now.isBefore(holder.createdAt().plus(START_GRACE))) {
                    throw inProgress(holder.executionId());
                }
                failUnstarted(holder);
            }
            default -> throw inProgress(holder.executionId());
        }
    }

    private static Refusal inProgress(String holder) {
        return new Refusal(Reason.EXECUTION_IN_PROGRESS,
                "Another execution of this sync is in progress; wait for it to finish or cancel it.",
                Map.of("executionId", holder));
    }

    public Execution get(String clientId, String syncId, String executionId) {
        if (!ExecutionIds.valid(executionId)) {
            throw notFound("execution", executionId);
        }
        return executions.getWithOutcomes(clientId, syncId, executionId).orElseThrow(() -> notFound("execution", executionId));
    }

    /** A page of an execution's per-date outcomes after {@code afterDate}. */
    public ExecutionRepository.OutcomePage outcomes(Execution execution, java.time.LocalDate afterDate, int limit) {
        return executions.outcomes(execution, afterDate, limit);
    }

    public ExecutionRepository.Page list(String clientId, String syncId, int limit, String startAfter, ExecutionFilter filter) {
        return executions.list(clientId, syncId, limit, startAfter, filter);
    }

    /**
     * The operator's answer to a confirmation request. The decision is recorded first, then the
     * workflow is signalled; the wait's task token stays stored until the signal is delivered. So
     * a request whose signal failed (Step Functions throttled or failed: 503) can be retried as it
     * was: the same decision, recorded but maybe not delivered, is sent again (200). Once it is
     * delivered, or when another decision was recorded, a retry is 409 as before.
     */
    public Execution decide(Execution execution, boolean confirm, String planDigest, String by) {
        Decision asked = confirm ? Decision.CONFIRMED : Decision.DECLINED;
        if (resentIfUndelivered(execution, asked, planDigest)) {
            return get(execution.clientId(), execution.syncId(), execution.executionId());
        }
        if (execution.status().terminal()) {
            throw alreadyFinished(execution);
        }
        if (execution.status() != ExecutionStatus.AWAITING_CONFIRMATION) {
            throw new Refusal(Reason.NOT_AWAITING_CONFIRMATION,
                    "This execution is not waiting for a confirmation (it is " + execution.status() + ").",
                    Map.of("status", execution.status().name()));
        }
        Instant deadline = execution.plan().confirmationDeadline();
        if (deadline != null && clock.instant().isAfter(deadline)) {
            throw new Refusal(Reason.NOT_AWAITING_CONFIRMATION,
                    "The confirmation window closed at " + deadline + "; start a new execution.",
                    Map.of("confirmationDeadline", deadline.toString()));
        }
        if (confirm && !execution.plan().planDigest().equals(planDigest)) {
            throw planChanged(execution);
        }
        Confirmation confirmation = new Confirmation(asked, by, clock.instant());
        Optional<Execution> decided = executions.decide(execution, confirmation);
        if (decided.isEmpty()) {
            // Decided meanwhile by a concurrent request: the same decision is this one's too.
            Execution now = get(execution.clientId(), execution.syncId(), execution.executionId());
            if (resentIfUndelivered(now, asked, planDigest)) {
                return get(execution.clientId(), execution.syncId(), execution.executionId());
            }
            throw replayed(execution.clientId(), execution.syncId(), execution.executionId());
        }
        telemetry.decided(decided.get());
        answerWorkflow(decided.get(), confirm);
        return executions.withFirstPage(decided.get());
    }

    /**
     * Re-sends {@code asked} if it is the decision already recorded on {@code execution} (for a
     * confirmation, of the same plan) and its signal may not have reached the workflow (the wait's
     * token is still stored).
     *
     * @return true when it was re-sent
     */
    private boolean resentIfUndelivered(Execution execution, Decision asked, String planDigest) {
        Confirmation recorded = execution.confirmation();
        if (recorded == null || recorded.decision() != asked
                || (asked == Decision.CONFIRMED && !execution.plan().planDigest().equals(planDigest))) {
            return false;
        }
        Optional<String> token = executions.taskToken(execution.clientId(), execution.syncId(), execution.executionId());
        if (token.isEmpty()) {
            return false;
        }
        signal(execution, asked == Decision.CONFIRMED, token.get());
        return true;
    }

    private static Refusal planChanged(Execution execution) {
        return new Refusal(Reason.PLAN_CHANGED,
                "The confirmation does not match this execution's plan; reload the execution and review it.",
                Map.of("planDigest", execution.plan().planDigest()));
    }

    /**
     * Stops an execution: one waiting for confirmation ends CANCELLED at once; a running one stops
     * dispatching, its in-flight dates finish and the rest count as cancelled.
     */
    public Execution cancel(Execution execution, String by) {
        if (execution.status() == ExecutionStatus.CANCELLED && resentIfUndelivered(execution, Decision.DECLINED, null)) {
            // Cancelled while waiting, but the workflow may not have heard it: said again.
            return get(execution.clientId(), execution.syncId(), execution.executionId());
        }
        if (execution.status().terminal()) {
            throw alreadyFinished(execution);
        }
        if (execution.status() == ExecutionStatus.AWAITING_CONFIRMATION) {
            Confirmation declined = new Confirmation(Decision.DECLINED, by, clock.instant());
            Optional<Execution> cancelled = executions.decide(execution, declined);
            if (cancelled.isPresent()) {
                telemetry.decided(cancelled.get());
                answerWorkflow(cancelled.get(), false);
                return executions.withFirstPage(cancelled.get());
            }
            execution = get(execution.clientId(), execution.syncId(), execution.executionId());
            if (execution.status().terminal()) {
                throw alreadyFinished(execution);
            }
        }
        Execution current = execution;
        return executions.requestCancel(current, new Cancellation(by, clock.instant())).map(executions::withFirstPage)
                .orElseThrow(() -> replayed(current.clientId(), current.syncId(), current.executionId()));
    }

    private void answerWorkflow(Execution decided, boolean confirm) {
        if (!confirm) {
            syncs.unlock(decided.clientId(), decided.syncId(), decided.executionId());
        }
        signalWorkflow(decided, confirm);
    }

    /**
     * Sends the recorded decision to the workflow's confirmation wait, if the workflow reached it
     * (until then there is no token; the wait finds the decision recorded and answers itself), and
     * then removes the token: a stored token next to a recorded decision means "maybe not
     * delivered yet", which a retry, or anyone else, may re-send. A wait that already ended
     * (timed out, or answered by an earlier attempt) makes the send a harmless no-op. A send that
     * fails (throttled, 5xx, no answer) leaves the token, and the caller answers 503.
     */
    private void signalWorkflow(Execution decided, boolean confirm) {
        executions.taskToken(decided.clientId(), decided.syncId(), decided.executionId())
                .ifPresent(token -> signal(decided, confirm, token));
    }

    private void signal(Execution decided, boolean confirm, String token) {
        try {
            if (confirm) {
                workflow.confirm(token, decided);
            } else {
                workflow.decline(token, decided);
            }
        } catch (RuntimeException e) {
            throw new Refusal(Reason.SERVICE_UNAVAILABLE, "Your decision is recorded, but the workflow has not "
                    + "received it yet. Send the same decision again in a moment.",
                    Map.of("executionId", decided.executionId(), "decision", (confirm ? Decision.CONFIRMED : Decision.DECLINED).name()));
        }
        executions.removeConfirmationToken(decided.clientId(), decided.syncId(), decided.executionId());
    }

    private Refusal replayed(String clientId, String syncId, String executionId) {
        Execution now = get(clientId, syncId, executionId);
        return now.status().terminal() ? alreadyFinished(now) : new Refusal(Reason.NOT_AWAITING_CONFIRMATION,
                "This execution is not waiting for a confirmation (it is " + now.status() + ").",
                Map.of("status", now.status().name()));
    }

    private static Refusal alreadyFinished(Execution execution) {
        return new Refusal(Reason.ALREADY_FINISHED,
                "This execution has already finished (" + execution.status() + ").",
                Map.of("status", execution.status().name()));
    }

    /** A paused sync starts nothing: the reason is what the operator sees on the disabled play button. */
    private static Refusal paused(Sync sync) {
        Map<String, Object> details = new java.util.LinkedHashMap<>();
        details.put("reason", sync.paused().reason());
        details.put("pausedBy", sync.paused().by());
        details.put("pausedAt", sync.paused().at());
        details.values().removeIf(java.util.Objects::isNull);
        return new Refusal(Reason.SYNC_PAUSED, "Sync " + sync.syncId() + " is paused: " + sync.paused().reason(), details);
    }

    private static Refusal notFound(String what, String id) {
        return new Refusal(Reason.NOT_FOUND, "No " + what + " " + id + ".", Map.of(what + "Id", String.valueOf(id)));
    }

    private static Execution newExecution(String executionId, Sync sync, ExecutionRequest request, Trigger trigger,
                                          String requestedBy, Plan plan, ExecutionStatus status, Instant now) {
        return new Execution(executionId, sync.clientId(), sync.syncId(), request.mode(), request.forced(), trigger,
                requestedBy, status, now, now, status.terminal() ? now : null, plan,
                Progress.of(plan.datesCount(), 0, 0, 0, 0),
                plan.dates().stream().limit(ExecutionRepository.FIRST_PAGE)
                        .map(date -> new DateOutcome(date, status.terminal() ? Outcome.CANCELLED : Outcome.PENDING, null, null)).toList(),
                null, null, null,
                plan.dates().size() > ExecutionRepository.FIRST_PAGE ? plan.dates().get(ExecutionRepository.FIRST_PAGE - 1).toString() : null,
                0);
    }
}
