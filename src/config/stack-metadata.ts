/**
 * What synthesis records about each stack for the tooling that runs later without synthesizing
 * (`flystack apply` decides from it whether a destroy needs `--allow-destroy`; `flystack drift`
 * reads the accepted drifts from it). Terraform ignores the top-level "//" key of a `.tf.json`
 * file: it is the JSON syntax's comment.
 */
export interface FlystackStackMetadata {
  readonly environment: string;
  readonly protected: boolean;
  /** The Fly organization (its Prometheus holds the apps' series). @default absent in stacks synthesized before it was recorded */
  readonly org?: string;
  /** The app key, in a per-app stack (`stacks: "per-app"`); absent in a per-environment stack. */
  readonly app?: string;
  /** The environment's `acceptedDrift`, as configured; absent when it has none. */
  readonly acceptedDrift?: readonly AcceptedDrift[];
  /**
   * Each process group's machines, in deploy order (the plan comment names a change to a whole
   * group as `api/web: 10 machines` and keeps the canary visible); absent in a stack with none.
   */
  readonly groups?: readonly MachineGroup[];
  /**
   * The objectives of the stack's apps (a service's `slo`): `flystack budget` checks their error
   * budgets before an apply, from the stack alone. Absent when no app declares one.
   */
  readonly slos?: readonly AppObjective[];
}

/** An app's SLO as recorded for the error-budget check. */
export interface AppObjective {
  /** The app's key in the environment. */
  readonly app: string;
  /** Its Fly app name (the `app` label of Fly's series). */
  readonly flyName: string;
  /** Percent answered without a 5xx. */
  readonly availability?: number;
  /** Percent answered in under `under` ms. */
  readonly latencyMs?: { readonly p: number; readonly under: number };
}

/** A process group as the plan comment names it. */
export interface MachineGroup {
  /** `<app key>/<group>`, e.g. `api/web`. */
  readonly name: string;
  /** `rolling`: the first machine is the canary and the rest follow one at a time; `bluegreen`: a new set beside the old. */
  readonly strategy: "rolling" | "immediate" | "bluegreen";
  /** Terraform addresses of the group's machines, in the order they change. */
  readonly machines: readonly string[];
}

/** A drift `flystack drift` accepts until `expires` (see AcceptedDriftConfig in src/config/types.ts). */
export interface AcceptedDrift {
  readonly address: string;
  readonly field?: string;
  readonly reason: string;
  readonly expires: string;
}

import { isObject } from "../util/json-object";

export const METADATA_KEY = "flystack";

/** Reads the metadata from a parsed `cdk.tf.json`, or undefined when it has none (a stack not made by flystack). */
export function readStackMetadata(json: unknown): FlystackStackMetadata | undefined {
  const comment = isObject(json) ? json["//"] : undefined;
  const value = isObject(comment) ? comment[METADATA_KEY] : undefined;
  if (!isObject(value)) return undefined;
  const { environment, protected: isProtected } = value;
  if (typeof environment !== "string" || typeof isProtected !== "boolean") return undefined;
  const accepted = readAcceptedDrift(value.acceptedDrift);
  const groups = readMachineGroups(value.groups);
  const slos = readObjectives(value.slos);
  return {
    environment,
    protected: isProtected,
    ...(typeof value.org === "string" ? { org: value.org } : {}),
    ...(typeof value.app === "string" ? { app: value.app } : {}),
    ...(accepted === undefined ? {} : { acceptedDrift: accepted }),
    ...(groups === undefined ? {} : { groups }),
    ...(slos === undefined ? {} : { slos }),
  };
}

/** The well-formed recorded objectives. */
function readObjectives(value: unknown): AppObjective[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: AppObjective[] = [];
  for (const o of value) {
    if (!isObject(o) || typeof o.app !== "string" || typeof o.flyName !== "string") continue;
    const availability = typeof o.availability === "number" ? o.availability : undefined;
    const l = isObject(o.latencyMs) && typeof o.latencyMs.p === "number" && typeof o.latencyMs.under === "number" ? { p: o.latencyMs.p, under: o.latencyMs.under } : undefined;
    if (availability === undefined && l === undefined) continue;
    out.push({ app: o.app, flyName: o.flyName, ...(availability === undefined ? {} : { availability }), ...(l === undefined ? {} : { latencyMs: l }) });
  }
  return out;
}

/** The well-formed groups of a recorded `groups` (one malformed is skipped: its machines are then named one by one). */
export function readMachineGroups(value: unknown): MachineGroup[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: MachineGroup[] = [];
  for (const g of value) {
    if (!isObject(g)) continue;
    const { name, strategy, machines } = g;
    if (typeof name !== "string" || (strategy !== "rolling" && strategy !== "immediate" && strategy !== "bluegreen")) continue;
    if (!Array.isArray(machines) || !machines.every((m): m is string => typeof m === "string")) continue;
    out.push({ name, strategy, machines });
  }
  return out;
}

/** The well-formed entries of a recorded `acceptedDrift` (an entry missing a field is skipped: it accepts nothing). */
function readAcceptedDrift(value: unknown): AcceptedDrift[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: AcceptedDrift[] = [];
  for (const e of value) {
    if (!isObject(e)) continue;
    const { address, field, reason, expires } = e;
    if (typeof address !== "string" || typeof reason !== "string" || typeof expires !== "string") continue;
    if (field !== undefined && typeof field !== "string") continue;
    out.push(field === undefined ? { address, reason, expires } : { address, field, reason, expires });
  }
  return out;
}
