package io.syncexec.local.events;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * An EventBridge rule's schedule expression, as the local mode runs it: {@code rate(value unit)},
 * accepted as EventBridge accepts it (the EventBridge user guide, "Rate expressions reference"): the
 * value a positive whole number, the unit {@code minute | minutes | hour | hours | day | days}, singular
 * for a value of 1 and plural otherwise ({@code rate(1 hour)}, {@code rate(5 hours)}; not
 * {@code rate(1 hours)} nor {@code rate(5 hour)}). Written exactly so: one space between value and
 * unit, lower case, no leading zero.
 *
 * <p>{@code cron(...)} expressions are valid on AWS but not run here: they are refused, pointing at
 * {@code rate()} or at firing the schedule by hand.
 *
 * @param text   the expression as written
 * @param period the time between two ticks
 */
public record ScheduleExpression(String text, Duration period) {

    private static final Map<String, ChronoUnit> SINGULAR = Map.of("minute", ChronoUnit.MINUTES, "hour", ChronoUnit.HOURS,
            "day", ChronoUnit.DAYS);

    /** Parses {@code expression}; refuses anything EventBridge would refuse, and cron(), with a message naming it. */
    public static ScheduleExpression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw new IllegalArgumentException("The schedule expression is empty; expected rate(value unit), e.g. rate(1 hour)");
        }
        if (expression.startsWith("cron(")) {
            throw new IllegalArgumentException("Schedule expression \"" + expression + "\": cron() schedules do not fire by "
                    + "themselves in the local mode; use a rate() expression locally (e.g. rate(1 hour)), or fire the "
                    + "schedule by hand with POST /local/schedule");
        }
        if (!expression.startsWith("rate(") || !expression.endsWith(")")) {
            throw refused(expression, "expected rate(value unit), e.g. rate(1 hour) or rate(5 minutes)");
        }
        String[] fields = expression.substring("rate(".length(), expression.length() - 1).split(" ", -1);
        if (fields.length != 2) {
            throw refused(expression, "expected a value and a unit separated by one space, e.g. rate(5 minutes)");
        }
        String digits = fields[0];
        String unit = fields[1];
        if (!digits.matches("[1-9][0-9]*")) {
            throw refused(expression, "the value must be a positive whole number without leading zeros, not \"" + digits + "\"");
        }
        String singular = unit.endsWith("s") ? unit.substring(0, unit.length() - 1) : unit;
        ChronoUnit chronoUnit = SINGULAR.get(singular);
        if (chronoUnit == null) {
            throw refused(expression, "the unit must be one of minute, minutes, hour, hours, day, days, not \"" + unit + "\"");
        }
        boolean one = digits.equals("1");
        if (one && !unit.equals(singular)) {
            throw refused(expression, "a value of 1 takes the singular unit: rate(1 " + singular + ")");
        }
        if (!one && unit.equals(singular)) {
            throw refused(expression, "a value over 1 takes the plural unit: rate(" + digits + " " + singular + "s)");
        }
        try {
            return new ScheduleExpression(expression, Duration.of(Long.parseLong(digits), chronoUnit));
        } catch (NumberFormatException | ArithmeticException e) {
            throw refused(expression, "the value " + digits + " is too large");
        }
    }

    private static IllegalArgumentException refused(String expression, String why) {
        return new IllegalArgumentException("Schedule expression \"" + expression + "\" is not valid: " + why);
    }
}
