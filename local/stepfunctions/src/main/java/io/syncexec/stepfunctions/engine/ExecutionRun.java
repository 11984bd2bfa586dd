package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One execution: its identity, its input, its history and, once it stops, its outcome. */
public final class ExecutionRun {

    private final String arn;
    private final String name;
    private final StateMachine stateMachine;
    private final String inputText;
    private final JsonNode input;
    private final Instant startDate;
    private final History history;
    private final Scope scope = new Scope(null);

    private RunStatus status = RunStatus.RUNNING;
    private String output;
    private String error;
    private String cause;
    private Instant stopDate;

    ExecutionRun(String arn, String name, StateMachine stateMachine, String inputText, JsonNode input, Instant startDate,
              History history) {
        this.arn = arn;
        this.name = name;
        this.stateMachine = stateMachine;
        this.inputText = inputText;
        this.input = input;
        this.startDate = startDate;
        this.history = history;
    }

    /** Records the outcome once; later calls (a late task result after StopExecution) are ignored. */
    synchronized boolean finish(RunStatus outcome, String output, String error, String cause, Instant at) {
        if (status != RunStatus.RUNNING) {
            return false;
        }
        this.status = outcome;
        this.output = output;
        this.error = error;
        this.cause = cause;
        this.stopDate = at;
        scope.cancel();
        return true;
    }

    public String arn() {
        return arn;
    }

    public String name() {
        return name;
    }

    public StateMachine stateMachine() {
        return stateMachine;
    }

    public String inputText() {
        return inputText;
    }

    public JsonNode input() {
        return input;
    }

    public Instant startDate() {
        return startDate;
    }

    public History history() {
        return history;
    }

    Scope scope() {
        return scope;
    }

    public synchronized RunStatus status() {
        return status;
    }

    public synchronized String output() {
        return output;
    }

    public synchronized String error() {
        return error;
    }

    public synchronized String cause() {
        return cause;
    }

    public synchronized Instant stopDate() {
        return stopDate;
    }
}
