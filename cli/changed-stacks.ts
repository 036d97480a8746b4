import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "./command";
import { BaseRevisionError, type SynthesizedRevision } from "./base-revision";
import { baseSynthesis } from "./base-cache";
import { type ManifestStack, readManifest, selectStacks, StackSelectionError } from "./stacks";

/** Which selected stacks differ from a revision's, by their synthesized JSON. */
export interface StackChanges {
  readonly ref: string;
  /** Stacks whose cdk.tf.json differs from the revision's, or that the revision does not have; in the given order. */
  readonly changed: ManifestStack[];
  /** The names in `changed` that the revision does not have. */
  readonly added: string[];
  readonly unchanged: string[];
  /** Stacks the revision has (and the patterns name) that the current tree no longer has. */
  readonly removed: string[];
}

/** Throws a BaseRevisionError unless `ref` names a commit of the repository at ctx.cwd. */
export async function assertCommit(ctx: CliContext, ref: string, option: string): Promise<void> {
  const found = await ctx.runner.run("git", ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`], { cwd: ctx.cwd, env: ctx.env });
  if (found.code !== 0) {
    const why = found.code === 127 ? "git is not installed" : found.stderr.includes("not a git repository") ? `${ctx.cwd} is not a git checkout` : `"${ref}" is not a commit in this repository (a branch, tag or commit such as origin/main; fetch it first in a shallow clone)`;
    throw new BaseRevisionError(`${option}: ${why}`);
  }
}

/**
 * The `--changed-since` revision, synthesized. Its failure is a BaseRevisionError naming the option,
 * which the CLI prints as `flystack COMMAND: …` and exits 1 (cli/main.ts), like assertCommit's.
 */
export async function synthesizeChangedSince(ctx: CliContext, ref: string, cacheDir?: string): Promise<SynthesizedRevision> {
  try {
    return await baseSynthesis(ctx, ref, cacheDir);
  } catch (error) {
    if (error instanceof BaseRevisionError) throw new BaseRevisionError(`--changed-since: ${error.message}`);
    throw error;
  }
}

/**
 * A stack's synthesized JSON in a form two checkouts can compare: parsed and printed with sorted
 * keys, with the revision's worktree path (the only thing that legitimately differs between two
 * checkouts of the same code: absolute paths, e.g. asset or local-state paths under the project)
 * read as the current checkout's.
 */
export function canonicalStackJson(file: string, roots: readonly { from: string; to: string }[] = []): string {
  const sortKeys = (value: unknown): unknown => {
    if (typeof value === "string") return roots.reduce((text, { from, to }) => (text.includes(from) ? text.split(from).join(to) : text), value);
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value === null || typeof value !== "object") return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
    );
  };
  return JSON.stringify(sortKeys(JSON.parse(fs.readFileSync(file, "utf8"))));
}

/**
 * Compares the `selected` stacks of this checkout's cdktf.out with those of the revision `base`
 * (synthesized by synthesizeRevision). Exact: any difference in a stack's cdk.tf.json counts,
 * whatever file caused it. `patterns` (the command's STACK arguments) select the removed stacks too.
 * `unchanged`: stacks this checkout's synthesis left out because their inputs are the revision's
 * (main.ts `unchangedSince`): unchanged without comparing; they still exist.
 */
export function compareWithRevision(
  ctx: CliContext,
  selected: readonly ManifestStack[],
  base: SynthesizedRevision,
  ref: string,
  patterns: readonly string[],
  unchangedByInputs: readonly string[] = [],
): StackChanges {
  const current = new Set([...readManifest(path.join(ctx.cwd, "cdktf.out")).map((s) => s.name), ...unchangedByInputs]);
  const baseStacks = fs.existsSync(path.join(base.outdir, "manifest.json")) ? readManifest(base.outdir) : [];
  const baseByName = new Map(baseStacks.map((s) => [s.name, s]));
  // Its output folder sits beside the worktree, not in it: both map to this checkout's.
  const roots = [
    { from: base.writtenOutdir ?? base.outdir, to: path.join(ctx.cwd, "cdktf.out") },
    { from: base.worktree, to: ctx.cwd },
  ];
  const changed: ManifestStack[] = [];
  const added: string[] = [];
  const unchanged: string[] = [...unchangedByInputs];
  for (const stack of selected) {
    const before = baseByName.get(stack.name);
    const beforeFile = before && path.join(before.dir, "cdk.tf.json");
    if (!beforeFile || !fs.existsSync(beforeFile)) {
      changed.push(stack);
      added.push(stack.name);
    } else if (canonicalStackJson(path.join(stack.dir, "cdk.tf.json")) === canonicalStackJson(beforeFile, roots)) {
      unchanged.push(stack.name);
    } else {
      changed.push(stack);
    }
  }
  // A pattern may name only stacks of the current tree: each is tried alone.
  const named = new Set<string>();
  for (const pattern of patterns.length === 0 ? [undefined] : patterns) {
    try {
      for (const s of baseStacks.length === 0 ? [] : selectStacks(baseStacks, pattern === undefined ? [] : [pattern])) named.add(s.name);
    } catch (error) {
      if (!(error instanceof StackSelectionError)) throw error;
    }
  }
  const removed = baseStacks.map((s) => s.name).filter((name) => named.has(name) && !current.has(name));
  return { ref, changed, added, unchanged, removed };
}
