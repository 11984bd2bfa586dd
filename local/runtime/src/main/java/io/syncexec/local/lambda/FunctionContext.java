package io.syncexec.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import io.syncexec.local.template.FunctionDefinition;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;

/** The {@link Context} of one invocation: a fresh request id, and the time left before the function's Timeout. */
final class FunctionContext implements Context {

    private final FunctionDefinition function;
    private final LambdaLogger logger;
    private final String requestId = UUID.randomUUID().toString();
    private final long deadlineNanos;
    private final String logStreamName;

    FunctionContext(FunctionDefinition function, LambdaLogger logger, String logStreamName) {
        this.function = function;
        this.logger = logger;
        this.logStreamName = logStreamName;
        this.deadlineNanos = System.nanoTime() + function.timeout().toNanos();
    }

    /** A log stream name as Lambda makes them: {@code yyyy/MM/dd/[$LATEST]<id>}. */
    static String newLogStreamName() {
        return LocalDate.now(ZoneOffset.UTC).toString().replace('-', '/') + "/[$LATEST]"
                + UUID.randomUUID().toString().replace("-", "");
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + function.name();
    }

    @Override
    public String getLogStreamName() {
        return logStreamName;
    }

    @Override
    public String getFunctionName() {
        return function.name();
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return function.arn();
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
    }

    @Override
    public int getMemoryLimitInMB() {
        return function.memoryMb();
    }

    @Override
    public LambdaLogger getLogger() {
        return logger;
    }
}
