package io.syncexec.plan;

import java.time.LocalDate;

/** A planned date that was already imported: importing it again duplicates its records. */
public record ReimportDate(LocalDate date, int importCount, long records) {
}
