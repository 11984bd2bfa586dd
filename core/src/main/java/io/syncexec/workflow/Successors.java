package io.syncexec.workflow;

import io.syncexec.execution.Execution;
import io.syncexec.execution.Outcome;
import io.syncexec.workflow.ImportService.Delivery;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Windowed dispatch's refill (docs/fairness.md): each date of a windowed run that gets its
 * outcome sends the date {@code window} places after it in the plan, so the run keeps at most
 * {@code window} dates on the queue. A date found done on a first delivery is a duplicate whose
 * original sent the next one already; found done on a repeated delivery, its first worker may
 * have died before sending, so it sends again (a duplicate is harmless: the ledger's claim). A
 * successor the queue does not take makes its date's delivery fail, so it comes back and sends it.
 */
final class Successors {
    /** A date of the batch that got its outcome in this batch, as this delivery saw it. */
    record Finished(Delivery delivery, ImportMessage message, Outcome outcome, boolean exclusive) {
    }

    private Successors() {
    }

    /** Sends the successors of {@code finished}; returns the ids of the deliveries whose successor could not be sent. */
    static List<String> send(ImportQueue queue, Execution execution, List<Finished> finished) {
        if (queue == null || finished.stream().allMatch(f -> f.message().window() == 0)) {
            return List.of();
        }
        List<LocalDate> dates = execution.plan().dates();
        Map<LocalDate, Integer> index = new HashMap<>();
        for (int i = 0; i < dates.size(); i++) {
            index.put(dates.get(i), i);
        }
        List<ImportMessage> next = new ArrayList<>();
        List<Delivery> owners = new ArrayList<>();
        for (Finished f : finished) {
            int window = f.message().window();
            boolean duplicate = !f.exclusive() && f.outcome() == Outcome.IMPORTED && f.delivery().receiveCount() <= 1;
            Integer at = index.get(f.message().date());
            if (window == 0 || duplicate || at == null || at + window >= dates.size()) {
                continue;
            }
            next.add(f.message().successor(dates.get(at + window)));
            owners.add(f.delivery());
        }
        List<String> failed = new ArrayList<>();
        for (int from = 0; from < next.size(); from += ImportQueue.BATCH) {
            List<ImportMessage> chunk = next.subList(from, Math.min(next.size(), from + ImportQueue.BATCH));
            List<ImportMessage> unsent = chunk;
            for (int attempt = 0; attempt < 3 && !unsent.isEmpty(); attempt++) {
                try {
                    unsent = queue.send(unsent);
                } catch (RuntimeException e) {
                    // Tried again below; in the end the date's delivery comes back and sends it.
                }
            }
            for (int i = 0; i < chunk.size(); i++) {
                if (unsent.contains(chunk.get(i))) {
                    failed.add(owners.get(from + i).messageId());
                }
            }
        }
        return failed;
    }
}
