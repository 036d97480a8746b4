/**
 * fly.toml values in every form flyctl reads them (superfly/flyctl internal/appconfig/patches.go,
 * helpers/units.go; superfly/fly-go duration.go), as flystack's configuration writes them. Pure.
 */
import { durationMs, formatDuration } from "../../../fly/duration";
import type { Ledger } from "./ledger";
import { shellWords } from "./shell-words";

/**
 * What a bare number means as a duration, by where it stands: `kill_timeout` counts seconds, service
 * checks and top-level `[checks]` milliseconds (flyctl patches both), and everything else (the
 * `[[http_service.checks]]`, `[deploy]` timeouts) is fly-go's Duration: nanoseconds.
 */
export type NumberUnit = "s" | "ms" | "ns";
const PER_MS: Readonly<Record<NumberUnit, number>> = { s: 1000, ms: 1, ns: 0.000_001 };

/** A duration in the configuration's form ("15s", "1m", "500ms"); undefined (and a problem) when unreadable. */
export function duration(value: unknown, unit: NumberUnit, path: string, ledger: Ledger): string | undefined {
  const ms = typeof value === "number" ? (Number.isFinite(value) && value >= 0 ? value * PER_MS[unit] : undefined) : durationMs(value);
  if (ms === undefined) {
    ledger.problem(path, `${JSON.stringify(value)} is not a duration`, `write a duration such as "10s"${unit === "ms" ? " (a bare number here counts milliseconds)" : unit === "s" ? " (a bare number here counts seconds)" : ""}`);
    return undefined;
  }
  return formatDuration(ms);
}

/**
 * A port: a whole number, or (where flyctl reads one: `[[services]]` internal_port and ports) a
 * numeric string, `port = "80"`. Elsewhere flyctl cannot read a string, but its meaning is plain, so it
 * is taken with a note saying flyctl would refuse it.
 */
export function port(value: unknown, path: string, ledger: Ledger, flyctlReadsStrings: boolean): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  if (n === undefined || !Number.isInteger(n) || n < 1 || n > 65535) {
    ledger.problem(path, value === undefined ? "is missing" : `${JSON.stringify(value)} is not a port`, "write a port from 1 to 65535");
    return undefined;
  }
  if (typeof value === "string" && !flyctlReadsStrings) ledger.note(path, `a port written as a string (${JSON.stringify(value)}), which flyctl cannot read here; flystack reads ${n}`, "write it as a number so fly deploy reads it too");
  return n;
}

/** A whole number (a count, a limit, a size in MB): numbers, or numeric strings; undefined (and a problem) otherwise. */
export function wholeNumber(value: unknown, path: string, ledger: Ledger, what: string): number | undefined {
  const n = typeof value === "number" ? value : typeof value === "string" && /^\s*\d+\s*$/.test(value) ? Number(value) : undefined;
  if (n === undefined || !Number.isInteger(n) || n < 0) {
    ledger.problem(path, `${JSON.stringify(value)} is not ${what}`, `write ${what} as a whole number`);
    return undefined;
  }
  return n;
}

/**
 * A `[processes]` command or `release_command`: split into arguments as flyctl does (shell-style words,
 * no shell). An empty string is no command: the image's own CMD runs (flyctl's InitCmd). Undefined
 * (and a problem) for an unclosed quote; null for "use the image's CMD".
 */
export function commandLine(value: unknown, path: string, ledger: Ledger): string[] | null | undefined {
  if (Array.isArray(value)) return value.length === 0 ? null : value.map(String);
  if (typeof value !== "string") {
    ledger.problem(path, `${JSON.stringify(value)} is not a command line`, "write the command as a string");
    return undefined;
  }
  if (value.trim() === "") return null;
  const words = shellWords(value);
  if (words === undefined) ledger.problem(path, "has an unclosed quote", "fix the command in fly.toml");
  return words;
}

/** `[experimental]` cmd, entrypoint and exec: a list as it is, a string as one argument (flyctl does not split them). */
export function argumentList(value: unknown): string[] | undefined {
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === "string" && value !== "") return [value];
  return undefined;
}

/** `"10gb"`, `"500mb"`, `"1G"`, a number or a numeric string of gigabytes: whole gigabytes, rounded up (flyctl: docker's FromHumanSize, decimal). */
export function sizeGb(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value > 0 ? Math.ceil(value) : undefined;
  if (typeof value !== "string") return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(gb|g|mb|m)?\s*$/i.exec(value);
  if (!match) return undefined;
  const gb = /^m/i.test(match[2] ?? "") ? Number(match[1]) / 1000 : Number(match[1]);
  return gb > 0 ? Math.ceil(gb) : undefined;
}

/** A `processes = [...]` list: the names it gives, whatever form (a list, one string, nothing). */
export function processNames(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  const names = Array.isArray(value) ? value.map(String) : [String(value)];
  return names.length === 0 ? undefined : names;
}
