package io.syncexec.stepfunctions.definition;

/** The ASL state types this interpreter runs, spelled as the {@code Type} field spells them. */
public enum StateType {
    Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map
}
