/**
 * The fingerprint of an app's configuration (without `adopt`): what `flystack import app` records
 * when it adopts live resources, and what synthesis compares to decide whether the app changed since.
 */
import { createHash } from "node:crypto";
import type { AppConfig } from "./types";

/** JSON with object keys sorted, so the same configuration always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object")
    return `{${Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

export function appFingerprint(app: AppConfig): string {
  const { adopt: _adopt, ...rest } = app;
  return `sha256:${createHash("sha256").update(canonical(rest)).digest("hex")}`;
}

/** The slot of machine `index` of `group` in `region`: how `adopt` names machines and volumes. */
export function adoptSlot(group: string, region: string, index: number): string {
  return `${group}-${region}-${index}`;
}
