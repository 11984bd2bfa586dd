package io.syncexec.stepfunctions.engine;

/** Where a block of states runs: its execution and its cancellation scope. */
record Frame(ExecutionRun execution, Scope scope) {
}
