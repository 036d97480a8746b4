/**
 * Sorts a refresh-only plan's `resource_drift` into real drift, Fly-managed noise (fly-managed.ts)
 * and drift an environment accepted (`acceptedDrift`), by the attributes each entry changed.
 */
import type { PlanResourceChange } from "../plan/plan-json";
import type { AcceptedDrift } from "../../config/stack-metadata";
import { isFlyManaged } from "./fly-managed";

/** At most this many changed paths are listed per resource (a huge list change stays readable). */
export const MAX_PATHS = 100;

/**
 * The paths whose values differ between `before` and `after`: `image_digest`, `guest.cpus`,
 * `services[0].ports[1].port`. A list whose length changed is one path (`a_records`); a value
 * that appears or disappears is its own path.
 */
export function changedPaths(before: unknown, after: unknown, prefix = ""): string[] {
  const out: string[] = [];
  walk(before, after, prefix, out);
  return out.length > MAX_PATHS ? [...out.slice(0, MAX_PATHS), `… ${out.length - MAX_PATHS} more`] : out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function walk(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length > MAX_PATHS) return;
  if (isPlainObject(a) && isPlainObject(b)) {
    for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      walk(a[key], b[key], path === "" ? key : `${path}.${key}`, out);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((item, i) => walk(item, b[i], `${path}[${i}]`, out));
    return;
  }
  // null and an absent key read the same: Terraform writes either for an unset attribute.
  if ((a ?? null) === null && (b ?? null) === null) return;
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path === "" ? "(whole value)" : path);
}

/** Whether `field` (an attribute or nested path) covers `path`: equal, or `path` lies under it. */
export function fieldCovers(field: string, path: string): boolean {
  return path === field || path.startsWith(`${field}.`) || path.startsWith(`${field}[`);
}

/** `YYYY-MM-DD` of a date in UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/** An acceptance holds through its `expires` day (UTC). */
export function isExpired(entry: AcceptedDrift, now: Date): boolean {
  return utcDay(now) > entry.expires;
}

export interface ClassifiedDrift {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Changed paths (empty when the resource is gone). */
  readonly attributes: readonly string[];
  /** Changed paths Fly manages by design (ignored). */
  readonly flyManaged: readonly string[];
  /** Changed paths neither Fly-managed nor accepted: what makes the entry drift. */
  readonly unexplained: readonly string[];
  /** Entries that accept (part of) this change and still hold. */
  readonly accepted: readonly AcceptedDrift[];
  /** Entries that would accept (part of) this change but expired: their part is drift again. */
  readonly expired: readonly AcceptedDrift[];
  readonly kind: "drift" | "noise" | "accepted";
}

/** Classifies one `resource_drift` entry. `now` decides which acceptances have expired. */
export function classifyDrift(change: PlanResourceChange, accepted: readonly AcceptedDrift[], now: Date): ClassifiedDrift {
  const { before, after } = change.change;
  const gone = after === null || after === undefined;
  const attributes = gone ? [] : changedPaths(before ?? {}, after);
  const forAddress = accepted.filter((a) => a.address === change.address);
  const holding = forAddress.filter((a) => !isExpired(a, now));
  const lapsed = forAddress.filter((a) => isExpired(a, now));
  const covers = (entries: readonly AcceptedDrift[], path: string | undefined) =>
    entries.filter((a) => a.field === undefined || (path !== undefined && fieldCovers(a.field, path)));

  const flyManaged = gone ? [] : attributes.filter((p) => isFlyManaged(change.type, p));
  const rest = gone ? [undefined] : attributes.filter((p) => !isFlyManaged(change.type, p));
  const usedHolding = new Set<AcceptedDrift>();
  const usedExpired = new Set<AcceptedDrift>();
  const unexplained: string[] = [];
  for (const path of rest) {
    const by = covers(holding, path);
    if (by.length > 0) {
      by.forEach((a) => usedHolding.add(a));
      continue;
    }
    covers(lapsed, path).forEach((a) => usedExpired.add(a));
    unexplained.push(path ?? "(resource gone)");
  }
  const kind = unexplained.length > 0 ? "drift" : usedHolding.size > 0 ? "accepted" : "noise";
  return {
    address: change.address,
    type: change.type,
    actions: [...change.change.actions],
    attributes,
    flyManaged,
    unexplained,
    accepted: [...usedHolding],
    expired: [...usedExpired],
    kind,
  };
}
