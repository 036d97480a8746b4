/**
 * Durations as Fly writes them. Fly's Go types (superfly/fly-go duration.go, `Duration`) read a JSON
 * duration as a Go duration string ("15s", "1m30s", "500ms") or as a number of nanoseconds (Fly's
 * Machines API reference describes check intervals as nanoseconds), and write Go's own spelling, so
 * "60s" sent comes back as "1m0s". flystack compares durations by their length, never by spelling, and
 * writes them in the one-unit form its configuration takes ("90s", "1m", "500ms").
 */

const UNIT_MS: Readonly<Record<string, number>> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, "µs": 0.001, ns: 0.000_001 };

/** Milliseconds of a Go duration string or a number of nanoseconds; undefined for anything else (absent, unparsable). */
export function durationMs(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value / 1_000_000 : undefined;
  if (typeof value !== "string") return undefined;
  const text = value.trim();
  if (text === "0") return 0;
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join("") !== text) return undefined;
  return parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * UNIT_MS[unit], 0);
}

/** `ms` in the largest single unit that is exact: "1h", "2m", "90s", "500ms" (what flystack's configuration accepts). */
export function formatDuration(ms: number): string {
  const whole = Math.round(ms);
  if (whole !== 0 && whole % 3_600_000 === 0) return `${whole / 3_600_000}h`;
  if (whole !== 0 && whole % 60_000 === 0) return `${whole / 60_000}m`;
  if (whole % 1000 === 0) return `${whole / 1000}s`;
  return `${whole}ms`;
}

/** The same length in Go's spelling ("1m0s", "1h30m0s", "500ms"): what Fly's API answers. */
export function goDuration(ms: number): string {
  if (ms === 0) return "0s";
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
