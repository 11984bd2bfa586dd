package io.syncexec.stepfunctions.definition;

/**
 * One parsed state of a definition: an immutable record per ASL state type, with every field the
 * interpreter needs already typed and checked. Transitions are state names ({@code next} is null
 * when the state ends its block).
 */
public sealed interface State permits PassState, ChoiceState, WaitState, SucceedState, FailState, RetryableState {

    String name();

    /** The ASL type, as history event names start with it ({@code TaskStateEntered}). */
    default StateType type() {
        return switch (this) {
            case PassState ignored -> StateType.Pass;
            case ChoiceState ignored -> StateType.Choice;
            case WaitState ignored -> StateType.Wait;
            case SucceedState ignored -> StateType.Succeed;
            case FailState ignored -> StateType.Fail;
            case TaskState ignored -> StateType.Task;
            case ParallelState ignored -> StateType.Parallel;
            case MapState ignored -> StateType.Map;
        };
    }
}
