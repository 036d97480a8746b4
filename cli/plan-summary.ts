/**
 * summary.md and summary.json of `flystack plan`, and the merge of several of them
 * (`flystack summarize --gather`): one pull-request comment for stacks planned in separate jobs.
 *
 * summary.json: `{ stacks: [{ stack, status, summary?, error?, facts?, groups?, planText? }] }` (each
 * resource of `summary` with its attribute changes, masked), plus, only
 * when they apply: `changedSince` (the REF of --changed-since), `skipped` and `removed`
 * (`[{ stack, reason }]`), and `cost` (the estimates the cost section is rendered from), so that
 * gathering reproduces the comment one run would have written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { PlanSummary } from "../src/features/plan/summarize";
import type { PlanFacts } from "../src/features/plan/facts";
import { DEFAULT_MAX_LENGTH, type NotPlannedStack, renderPlanMarkdown } from "../src/features/plan/markdown";
import { diffCosts, renderCostMarkdown, type EnvironmentCost } from "../src/features/cost";
import { isObject } from "../src/util/json-object";
import type { MachineGroup } from "../src/config/stack-metadata";

export interface StackPlanResult {
  readonly stack: string;
  readonly status: "changes" | "no-changes" | "failed";
  readonly summary?: PlanSummary;
  readonly facts?: PlanFacts;
  readonly error?: string;
  /** The stack's process groups, from its cdk.tf.json: the comment names grouped rows by them. */
  readonly groups?: readonly MachineGroup[];
  /** `terraform show` of the plan (sensitive values masked by Terraform), for the comment's fold. */
  readonly planText?: string;
}

/** What the cost section is made of: estimates (at head and, with a base revision, at the base), or why there are none. */
export interface CostData {
  readonly head: readonly EnvironmentCost[];
  readonly base?: readonly EnvironmentCost[];
  readonly error?: string;
}

export interface SummaryJson {
  readonly stacks: readonly StackPlanResult[];
  readonly changedSince?: string;
  readonly skipped?: readonly NotPlannedStack[];
  readonly removed?: readonly NotPlannedStack[];
  readonly cost?: CostData;
}

export const unchangedReason = (ref: string): string => `unchanged since ${ref}`;
export const removedReason = (ref: string): string => `removed since ${ref}`;

export function costSection(cost: CostData | undefined): string {
  if (cost?.error !== undefined) return `## Fly.io cost estimate\n\nUnavailable: ${cost.error.split("\n")[0]}`;
  if (!cost || cost.head.length === 0) return "## Fly.io cost estimate\n\nNo stack was planned, so there is no estimate.";
  return renderCostMarkdown(cost.head, cost.base === undefined ? undefined : diffCosts(cost.base, cost.head));
}

/** summary.md: the plans, what was not planned, then the cost section if the comment stays under GitHub's limit. */
export function summaryMarkdown(data: SummaryJson, marker: string): string {
  const planned = data.stacks.filter((r) => r.summary).map((r) => ({ stack: r.stack, summary: r.summary!, facts: r.facts, groups: r.groups, planText: r.planText }));
  const failed = data.stacks.filter((r) => r.status === "failed").map((r) => ({ stack: r.stack, message: r.error ?? "failed" }));
  const cost = costSection(data.cost);
  // The plan keeps its room; the cost section goes after it only when the comment stays under GitHub's limit.
  const planMarkdown = renderPlanMarkdown(planned, {
    failed,
    marker,
    skipped: data.skipped,
    removed: data.removed,
    maxLength: DEFAULT_MAX_LENGTH - Math.min(cost.length + 2, 20_000),
  });
  return planMarkdown.length + cost.length + 2 <= DEFAULT_MAX_LENGTH ? `${planMarkdown}\n\n${cost}` : `${planMarkdown}\n\n_The cost estimate did not fit in this comment: run \`bin/flystack cost\`._`;
}

/** Writes DIR/summary.md and DIR/summary.json; returns the Markdown. */
export function writeSummary(outDir: string, data: SummaryJson, marker: string): string {
  const markdown = summaryMarkdown(data, marker);
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, "summary.md"), `${markdown}\n`);
  const json = {
    stacks: data.stacks.map(({ stack, status, summary, error, facts, groups, planText }) => ({ stack, status, summary, error, facts, groups, planText })),
    ...(data.changedSince === undefined ? {} : { changedSince: data.changedSince }),
    ...(data.skipped && data.skipped.length > 0 ? { skipped: data.skipped } : {}),
    ...(data.removed && data.removed.length > 0 ? { removed: data.removed } : {}),
    ...(data.cost === undefined ? {} : { cost: data.cost }),
  };
  fs.writeFileSync(path.join(outDir, "summary.json"), `${JSON.stringify(json, null, 2)}\n`);
  return markdown;
}

export class GatherError extends Error {}

/** Reads DIR/summary.json as written by writeSummary. */
export function readSummary(dir: string): SummaryJson {
  const file = path.join(dir, "summary.json");
  if (!fs.existsSync(file)) throw new GatherError(`${file} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (error) {
    throw new GatherError(`${file} is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isObject(parsed) || !Array.isArray(parsed.stacks)) throw new GatherError(`${file} has no "stacks" array; is it a flystack plan summary.json?`);
  return parsed as unknown as SummaryJson;
}

/**
 * One summary from several: stacks by name (a stack twice is an error), `skipped` and `removed`
 * merged (a stack planned somewhere is not skipped), costs merged and the difference computed
 * again. The stacks' order is by name, which is the order one run uses for stacks that do not
 * depend on each other.
 */
export function gatherSummaries(parts: readonly { readonly dir: string; readonly data: SummaryJson }[]): SummaryJson {
  const stacks = new Map<string, StackPlanResult>();
  for (const { dir, data } of parts) {
    for (const entry of data.stacks) {
      if (stacks.has(entry.stack)) throw new GatherError(`stack ${entry.stack} is in more than one summary (again in ${dir})`);
      stacks.set(entry.stack, entry);
    }
  }
  const byName = (a: { stack: string }, b: { stack: string }) => a.stack.localeCompare(b.stack);
  const notPlanned = (key: "skipped" | "removed") => {
    const seen = new Map<string, NotPlannedStack>();
    for (const { data } of parts) for (const s of data[key] ?? []) if (!stacks.has(s.stack) && !seen.has(s.stack)) seen.set(s.stack, s);
    return [...seen.values()].sort(byName);
  };
  const refs = [...new Set(parts.map((p) => p.data.changedSince).filter((r): r is string => r !== undefined))];
  const ordered = [...stacks.values()].sort(byName);
  const costs = parts.map((p) => p.data.cost).filter((c): c is CostData => c !== undefined);
  const order = new Map(ordered.map((s, i) => [s.stack, i]));
  const sortCosts = (list: readonly EnvironmentCost[]) => [...list].sort((a, b) => (order.get(a.name) ?? Infinity) - (order.get(b.name) ?? Infinity) || a.name.localeCompare(b.name));
  const failedCost = costs.find((c) => c.error !== undefined);
  const cost: CostData | undefined = failedCost
    ? { head: [], error: failedCost.error }
    : costs.length === 0
      ? undefined
      : {
          head: sortCosts(costs.flatMap((c) => c.head)),
          ...(costs.some((c) => c.base !== undefined) ? { base: sortCosts(costs.flatMap((c) => c.base ?? [])) } : {}),
        };
  const skipped = notPlanned("skipped");
  const removed = notPlanned("removed");
  return {
    stacks: ordered,
    ...(refs.length > 0 ? { changedSince: refs.join(", ") } : {}),
    ...(skipped.length > 0 ? { skipped } : {}),
    ...(removed.length > 0 ? { removed } : {}),
    ...(cost ? { cost } : {}),
  };
}
