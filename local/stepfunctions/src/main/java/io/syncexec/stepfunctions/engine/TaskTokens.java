package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The callback tokens of tasks waiting in {@code .waitForTaskToken}. A token that was never issued
 * here is {@code InvalidToken}; one issued whose task has finished (succeeded, failed, timed out,
 * or its execution stopped) is {@code TaskTimedOut}, as AWS answers. Tokens are secrets: only
 * {@link #redacted(String)} forms may appear in messages or logs.
 */
final class TaskTokens {

    private static final String PREFIX = "syncexec-sfn-task-token:v1:";
    private static final int RANDOM_BYTES = 48;

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Waiting> waiting = new ConcurrentHashMap<>();

    /** A task waiting for its token: the future to complete and what a heartbeat does. */
    record Waiting(ExecutionRun execution, CompletableFuture<JsonNode> result, Runnable onHeartbeat) {
    }

    String issue(ExecutionRun execution, CompletableFuture<JsonNode> result, Runnable onHeartbeat) {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        String token = Base64.getEncoder().encodeToString(
                (PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes)).getBytes(StandardCharsets.UTF_8));
        waiting.put(token, new Waiting(execution, result, onHeartbeat));
        result.whenComplete((value, error) -> waiting.remove(token));
        return token;
    }

    /** Ends every wait of a stopped execution, so its tokens answer TaskTimedOut from now on. */
    void release(ExecutionRun execution) {
        waiting.values().removeIf(entry -> {
            if (entry.execution() == execution) {
                entry.result().cancel(false);
                return true;
            }
            return false;
        });
    }

    /** The task waiting for {@code token}; InvalidToken or TaskTimedOut when there is none. */
    Waiting waiting(String token) {
        if (token == null || token.isEmpty() || token.length() > 1024 || !wellFormed(token)) {
            throw new ServiceException("InvalidToken", "Invalid Token: '" + redacted(token) + "'");
        }
        Waiting entry = waiting.get(token);
        if (entry == null || entry.execution().status() != RunStatus.RUNNING) {
            throw new ServiceException("TaskTimedOut", "Task Timed Out: 'Provided task does not exist anymore'");
        }
        return entry;
    }

    private static boolean wellFormed(String token) {
        try {
            return new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8).startsWith(PREFIX);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** A token shortened for messages: its last 6 characters only. */
    static String redacted(String token) {
        if (token == null) {
            return "null";
        }
        return token.length() <= 6 ? "…" : "…" + token.substring(token.length() - 6);
    }
}
