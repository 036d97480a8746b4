import * as path from "node:path";
import type { CliContext } from "./command";
import { byEnvironment, readSynthesizedStacks } from "./synthesized";
import { synthesizeRevision } from "./base-revision";
import { diffCosts, estimateEnvironment, type CostDiff, type EnvironmentCost } from "../src/features/cost";

export interface CostReport {
  readonly head: EnvironmentCost[];
  readonly diff?: CostDiff;
  /** With `baseRef`: the estimates at the base of the environments in `head` (those it has). */
  readonly base?: EnvironmentCost[];
}

/**
 * Estimates the environments synthesized in this checkout's cdktf.out and, with `baseRef`, the same
 * environments at that revision, and their difference. Environments absent at the base count as added.
 * `baseOutdir`: the base revision's cdktf.out when the caller has synthesized it already.
 */
export async function costReport(ctx: CliContext, patterns: readonly string[], baseRef?: string, baseOutdir?: string): Promise<CostReport> {
  // Per environment: an environment's per-app stacks count together (one org's free allowances).
  const headSelected = readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), patterns);
  const stacks = byEnvironment(headSelected);
  const head = stacks.map((s) => estimateEnvironment(s.name, s.json));
  if (!baseRef) return { head };
  const base = baseOutdir ? { outdir: baseOutdir, cleanup: async () => undefined } : await synthesizeRevision(ctx, baseRef);
  try {
    // The same stacks on both sides: with STACK patterns (a plan of some stacks, a workflow batch),
    // the base's stacks of those names; without, every stack of the same environments (so a stack
    // removed since the base counts as removed).
    const names = new Set(stacks.map((s) => s.name));
    const headStacks = new Set(headSelected.map((s) => s.name));
    const baseSelected = readSynthesizedStacks(base.outdir, []).filter((s) => patterns.length === 0 || headStacks.has(s.name));
    const baseStacks = byEnvironment(baseSelected).filter((s) => names.has(s.name));
    const baseCosts = baseStacks.map((s) => estimateEnvironment(s.name, s.json));
    return { head, diff: diffCosts(baseCosts, head), base: baseCosts };
  } finally {
    await base.cleanup();
  }
}
