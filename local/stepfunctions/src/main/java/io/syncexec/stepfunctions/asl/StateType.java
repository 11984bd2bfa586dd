package io.syncexec.stepfunctions.asl;

public enum StateType {
    Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map
}
