package io.syncexec.connector;

import java.util.List;

/** Where the demo connector writes its records: template.yaml's {@code DemoDestinationTable} on AWS. */
public interface DemoDestination {
    /**
     * Writes these rows; a row written again (same {@code dateKey} and {@code recordId}) overwrites itself.
     *
     * @throws ConnectorException retryable when the destination is busy or unreachable, permanent when it refuses
     */
    void write(List<Row> rows) throws ConnectorException;

    /** One record of a date: {@code recordId} is {@code g<generation>#r<index>}, so a re-import adds rows beside the old ones. */
    record Row(String dateKey, String recordId, int generation, String executionId, String payload, String writtenAt) {
    }
}
