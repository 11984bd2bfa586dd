package io.syncexec.stepfunctions.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** The events of one execution, numbered from 1 as Step Functions numbers them. */
public final class History {

    private final Scheduler scheduler;
    private final List<HistoryEvent> events = new ArrayList<>();

    History(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    /** Appends an event and returns its id. {@code details} may be null. */
    public synchronized long add(String type, String detailsKey, ObjectNode details) {
        long id = events.size() + 1;
        events.add(new HistoryEvent(id, id - 1, scheduler.now(), type, detailsKey, details));
        return id;
    }

    public synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }

    static ObjectNode details() {
        return JsonNodeFactory.instance.objectNode();
    }
}
