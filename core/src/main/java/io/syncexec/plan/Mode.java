package io.syncexec.plan;

/** The three runs of the product manual. */
public enum Mode {
    /** Import every missing date up to yesterday; never re-imports. */
    DEFAULT,
    /** Import one date as if nothing had been imported before. */
    SINGLE_DATE,
    /** Import a range: only the missing dates, or all of them again ({@code reimport}). */
    DATE_RANGE
}
