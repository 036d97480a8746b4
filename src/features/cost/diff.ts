/**
 * The cost difference between two sets of estimates (a base branch and a pull request, say), like
 * Infracost's diff: per environment, the resources added, removed or changed in price, with deltas
 * of both the minimum (`monthly`) and the maximum (`monthly_max`). Resources whose price did not
 * move are left out. Environments are matched by name, resources by address.
 */
import type { CostItem, EnvironmentCost } from "./types";

export interface Amounts {
  readonly monthly: number;
  readonly monthly_max: number;
}

export type ResourceChange = "added" | "removed" | "changed";

export interface ResourceCostDiff {
  readonly address: string;
  readonly type: string;
  readonly app?: string;
  readonly change: ResourceChange;
  /** Absent when the resource is added. */
  readonly base?: Amounts;
  /** Absent when the resource is removed. */
  readonly head?: Amounts;
  /** head − base, a missing side counting as 0. */
  readonly delta: Amounts;
}

export interface EnvironmentCostDiff {
  readonly name: string;
  readonly change: "added" | "removed" | "changed" | "unchanged";
  readonly base?: Amounts;
  readonly head?: Amounts;
  readonly delta: Amounts;
  /** Sorted by address. */
  readonly resources: readonly ResourceCostDiff[];
}

export interface CostDiff {
  /** Head's environments in head's order, then those only in base. */
  readonly environments: readonly EnvironmentCostDiff[];
}

const ZERO: Amounts = { monthly: 0, monthly_max: 0 };

/** Amounts are sums of the same prices, so anything below a millionth of a cent is float noise. */
const NOISE = 1e-8;

function amountsOf(x: Amounts | undefined): Amounts | undefined {
  return x === undefined ? undefined : { monthly: x.monthly, monthly_max: x.monthly_max };
}

function minus(head: Amounts | undefined, base: Amounts | undefined): Amounts {
  const h = head ?? ZERO;
  const b = base ?? ZERO;
  return { monthly: h.monthly - b.monthly, monthly_max: h.monthly_max - b.monthly_max };
}

function moved(delta: Amounts): boolean {
  return Math.abs(delta.monthly) > NOISE || Math.abs(delta.monthly_max) > NOISE;
}

function diffItems(base: readonly CostItem[], head: readonly CostItem[]): ResourceCostDiff[] {
  const baseByAddress = new Map(base.map((i) => [i.address, i]));
  const headByAddress = new Map(head.map((i) => [i.address, i]));
  const addresses = [...new Set([...baseByAddress.keys(), ...headByAddress.keys()])].sort();
  const diffs: ResourceCostDiff[] = [];
  for (const address of addresses) {
    const b = baseByAddress.get(address);
    const h = headByAddress.get(address);
    const delta = minus(h, b);
    const change: ResourceChange | undefined = b === undefined ? "added" : h === undefined ? "removed" : moved(delta) ? "changed" : undefined;
    if (change === undefined) continue;
    const either = (h ?? b) as CostItem;
    diffs.push({
      address,
      type: either.type,
      ...(either.app === undefined ? {} : { app: either.app }),
      change,
      ...(b === undefined ? {} : { base: amountsOf(b) }),
      ...(h === undefined ? {} : { head: amountsOf(h) }),
      delta,
    });
  }
  return diffs;
}

export function diffCosts(base: readonly EnvironmentCost[], head: readonly EnvironmentCost[]): CostDiff {
  const baseByName = new Map(base.map((e) => [e.name, e]));
  const headNames = new Set(head.map((e) => e.name));
  const names = [...head.map((e) => e.name), ...base.map((e) => e.name).filter((n) => !headNames.has(n))];
  const headByName = new Map(head.map((e) => [e.name, e]));

  const environments = names.map((name): EnvironmentCostDiff => {
    const b = baseByName.get(name);
    const h = headByName.get(name);
    const resources = diffItems(b?.items ?? [], h?.items ?? []);
    const delta = minus(amountsOf(h), amountsOf(b));
    const change = b === undefined ? "added" : h === undefined ? "removed" : resources.length > 0 || moved(delta) ? "changed" : "unchanged";
    return {
      name,
      change,
      ...(b === undefined ? {} : { base: amountsOf(b) }),
      ...(h === undefined ? {} : { head: amountsOf(h) }),
      delta,
      resources,
    };
  });
  return { environments };
}
