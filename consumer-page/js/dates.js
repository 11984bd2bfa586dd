// Calendar dates are plain "YYYY-MM-DD" strings: they are already the sync's calendar dates, so
// they never go through the browser's time zone. Arithmetic uses UTC-only Date values, which have
// no DST or offset, and string comparison orders ISO dates correctly.

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text) {
  const m = ISO.exec(text || "");
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

export function parts(iso) {
  const m = ISO.exec(iso);
  return { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) };
}

export function toIso(y, m, d) {
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

function utc(iso) {
  const { y, m, d } = parts(iso);
  return new Date(Date.UTC(y, m - 1, d));
}

function fromUtc(date) {
  return toIso(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

export function addDays(iso, days) {
  const date = utc(iso);
  date.setUTCDate(date.getUTCDate() + days);
  return fromUtc(date);
}

/** Days from a to b, inclusive of both ends (a ≤ b gives ≥ 1). */
export function daysInclusive(a, b) {
  return Math.round((utc(b) - utc(a)) / 86400000) + 1;
}

export function daysInMonth(y, m) {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** Month key "YYYY-MM" shifted by n months. */
export function addMonths(month, n) {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

export function monthOf(iso) {
  return iso.slice(0, 7);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayMon0(iso) {
  return (utc(iso).getUTCDay() + 6) % 7;
}

export function min(a, b) { return a <= b ? a : b; }
export function max(a, b) { return a >= b ? a : b; }

// Formatting in UTC shows exactly the calendar date that was given.
const monthFormat = new Intl.DateTimeFormat(undefined, { month: "long", year: "numeric", timeZone: "UTC" });
const longFormat = new Intl.DateTimeFormat(undefined,
  { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function formatMonth(month) {
  return monthFormat.format(utc(`${month}-01`));
}

export function formatLong(iso) {
  return longFormat.format(utc(iso));
}

/** An instant as the clock of time zone {@code zone} shows it (the sync's zone, for its schedule). */
export function formatInZone(instant, zone) {
  if (!instant) return "";
  const date = new Date(instant);
  if (isNaN(date)) return instant;
  try {
    return date.toLocaleString(undefined, { timeZone: zone, dateStyle: "medium", timeStyle: "short" }) + ` (${zone})`;
  } catch {
    return date.toLocaleString();
  }
}

/** Instants (createdAt, deadlines) are real moments: shown in the viewer's local time. */
export function formatInstant(instant) {
  if (!instant) return "";
  const date = new Date(instant);
  return isNaN(date) ? instant : date.toLocaleString();
}
