package io.syncexec.aws;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** What a failure of a backing AWS service (DynamoDB, SQS, Step Functions) means to the caller. */
public final class TransientFailures {
    private TransientFailures() {
    }

    /** Throttling, a 5xx or no answer at all: worth retrying, unlike a bug of ours. */
    public static boolean isTransient(RuntimeException e) {
        if (e instanceof AwsServiceException service) {
            return service.isThrottlingException() || service.statusCode() >= 500;
        }
        return e instanceof SdkClientException;
    }
}
