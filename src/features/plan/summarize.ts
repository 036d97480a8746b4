/**
 * Turns a parsed plan into flystack's plan summary: the object `--json` prints. Its keys are a
 * contract with whatever reads that output, so nothing else goes in it (facts that are not part
 * of the contract come from `planFacts` in ./facts.ts).
 *
 * Counting rules:
 * - Every managed resource change counts once under its action kind: create, update, replace,
 *   delete or no-op. A replacement (["delete","create"], ["create","delete"], or
 *   ["create","forget"]) counts only as `replace`, never also as create or delete.
 * - `import` and `move` are counted on top of that, because Terraform reports them alongside the
 *   actions: an imported resource with nothing else to do counts as `import` and as `no-op`.
 *   `move` counts changes whose `previous_address` is there and differs from `address`;
 *   `import` counts changes with an `importing` object.
 * - Data sources (mode "data", normally ["read"]) are left out entirely: reading changes no
 *   infrastructure. ["forget"] (the object leaves the state but is not destroyed) is not a
 *   counted kind; it is listed in `resources` and the Markdown report shows it.
 * - `resources` lists every managed resource change except pure no-ops (no-ops that are neither
 *   moved nor imported), in plan order. Updates, replacements and imports carry their changed
 *   attributes (`changes`, values masked as ./attribute-changes.ts says; `hidden_computed` counts
 *   the computed attributes left out).
 * - `outputs` lists output changes other than ["no-op"], by name; `drift` lists managed
 *   resources changed outside Terraform. Neither shows any value.
 */
import { classifyActions } from "./actions";
import { type AttributeChange, attributeChanges } from "./attribute-changes";
import type { AttributePath, PlanResourceChange, TerraformPlan } from "./plan-json";

export interface PlanCounts {
  readonly create: number;
  readonly update: number;
  readonly delete: number;
  readonly replace: number;
  readonly import: number;
  readonly move: number;
  readonly "no-op": number;
}

export interface OutputSummary {
  readonly name: string;
  readonly actions: readonly string[];
}

export interface DriftSummary {
  readonly address: string;
  readonly actions: readonly string[];
}

export interface ResourceSummary {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  readonly replace_paths: readonly AttributePath[] | null;
  readonly action_reason: string | null;
  /** What changes, before → after, sensitive values masked (./attribute-changes.ts); empty for creates and deletes. */
  readonly changes: readonly AttributeChange[];
  /** Computed attributes left out of `changes` because they are known only after apply. */
  readonly hidden_computed: number;
}

/** The `--json` contract: exactly these keys, in this order. */
export interface PlanSummary {
  readonly file: string;
  readonly counts: PlanCounts;
  readonly outputs: readonly OutputSummary[];
  readonly drift: readonly DriftSummary[];
  readonly resources: readonly ResourceSummary[];
}

/**
 * Types whose delete or replace loses data or causes downtime: a volume holds data; an app owns
 * its IPs, secrets and hostname; a certificate takes time (and rate-limited issuance) to come
 * back; a DNS record sends users nowhere while it is gone; a secret's value is not in the state
 * (only its digest), so a deleted one cannot be put back from the code; a released IP address
 * (a dedicated IPv4 above all) is gone for good, and DNS still points at it.
 */
export const STATEFUL_TYPE_NAMES: readonly string[] = ["fly_volume", "fly_app", "fly_cert", "fly_secret", "fly_ip", "cloudflare_dns_record"];
const STATEFUL_TYPES: ReadonlySet<string> = new Set(STATEFUL_TYPE_NAMES);

export function isStatefulType(type: string): boolean {
  return STATEFUL_TYPES.has(type);
}

export function isManaged(change: PlanResourceChange): boolean {
  return change.mode === "managed";
}

export function isMoved(change: PlanResourceChange): boolean {
  return change.previous_address !== undefined && change.previous_address !== change.address;
}

export function isImported(change: PlanResourceChange): boolean {
  return change.change.importing !== undefined;
}

export function summarizePlan(plan: TerraformPlan, file: string): PlanSummary {
  const counts = { create: 0, update: 0, delete: 0, replace: 0, import: 0, move: 0, "no-op": 0 };
  const resources: ResourceSummary[] = [];

  for (const change of plan.resource_changes.filter(isManaged)) {
    const kind = classifyActions(change.change.actions);
    const moved = isMoved(change);
    const imported = isImported(change);
    if (kind === "create" || kind === "update" || kind === "delete" || kind === "replace" || kind === "no-op") {
      counts[kind] += 1;
    }
    if (moved) counts.move += 1;
    if (imported) counts.import += 1;
    if (kind === "no-op" && !moved && !imported) continue;
    const shown = kind === "update" || kind === "replace" || imported ? attributeChanges(change, plan) : { changes: [], hidden_computed: 0 };
    resources.push({
      address: change.address,
      type: change.type,
      actions: [...change.change.actions],
      replace_paths: change.change.replace_paths ?? null,
      action_reason: change.action_reason ?? null,
      changes: shown.changes,
      hidden_computed: shown.hidden_computed,
    });
  }

  const outputs = Object.entries(plan.output_changes)
    .filter(([, change]) => classifyActions(change.actions) !== "no-op")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, change]) => ({ name, actions: [...change.actions] }));

  const drift = plan.resource_drift
    .filter(isManaged)
    .map((change) => ({ address: change.address, actions: [...change.change.actions] }));

  return { file, counts, outputs, drift, resources };
}
