package io.syncexec.stepfunctions.definition;

/** The states that do work and so may be retried and caught: Task, Parallel and Map. */
public sealed interface RetryableState extends State permits TaskState, ParallelState, MapState {

    IoPaths io();

    String next();

    ResultHandling result();
}
