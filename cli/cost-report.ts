import * as path from "node:path";
import type { CliContext } from "./command";
import { readSynthesizedStacks } from "./synthesized";
import { synthesizeRevision } from "./base-revision";
import { diffCosts, estimateEnvironment, type CostDiff, type EnvironmentCost } from "../src/cost";

export interface CostReport {
  readonly head: EnvironmentCost[];
  readonly diff?: CostDiff;
}

/**
 * Estimates the environments synthesized in this checkout's cdktf.out and, with `baseRef`, the same
 * environments at that revision, and their difference. Environments absent at the base count as added.
 */
export async function costReport(ctx: CliContext, patterns: readonly string[], baseRef?: string): Promise<CostReport> {
  const stacks = readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), patterns);
  const head = stacks.map((s) => estimateEnvironment(s.name, s.json));
  if (!baseRef) return { head };
  const base = await synthesizeRevision(ctx, baseRef);
  try {
    const names = new Set(stacks.map((s) => s.name));
    const baseStacks = readSynthesizedStacks(base.outdir, []).filter((s) => names.has(s.name));
    return { head, diff: diffCosts(baseStacks.map((s) => estimateEnvironment(s.name, s.json)), head) };
  } finally {
    await base.cleanup();
  }
}
