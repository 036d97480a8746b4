/**
 * The synthesized stacks as the workflows see them: each stack's GitHub environment, protection and
 * TF_VAR_* secrets, in deploy order. `flystack stacks` batches them, `setup` and `with-secrets` read them.
 */
import * as path from "node:path";
import type { CliContext } from "./command";
import { type ManifestStack, readManifest, selectStacks } from "./stacks";
import { readStackFile } from "./stack-files";

/** One synthesized stack as a workflow matrix entry sees it. */
export interface StackEntry {
  readonly stack: string;
  /** The GitHub environment its apply runs in (its plans use `<environment>-plan`). */
  readonly environment: string;
  /** A protected environment: its apply waits for the environment's required reviewers. */
  readonly protected: boolean;
  /** The TF_VAR_* secrets it needs: one per variable without a default, sorted. */
  readonly secrets: readonly string[];
}

/**
 * The stacks in `cdktf.out` (those named by `patterns`, or all) in deploy order: stacks of
 * unprotected environments first, then protected ones, never before a stack they depend on.
 * A stack without flystack metadata counts as environment = its name, unprotected (with a note).
 */
export function readStackEntries(ctx: CliContext, patterns: readonly string[]): StackEntry[] {
  const selected = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), patterns);
  const entries = new Map<string, StackEntry>();
  for (const stack of selected) {
    const file = readStackFile(stack.dir);
    if (!file.metadata) ctx.stderr.write(`note: stack ${stack.name} has no flystack metadata; treated as environment "${stack.name}", unprotected\n`);
    entries.set(stack.name, {
      stack: stack.name,
      environment: file.metadata?.environment ?? stack.name,
      protected: file.metadata?.protected ?? false,
      secrets: file.requiredVariables.map((name) => `TF_VAR_${name}`),
    });
  }
  return deployOrder(selected, entries);
}

/** Dependency order (as selectStacks gives it), with every unprotected stack placed as early as its dependencies allow. */
function deployOrder(ordered: readonly ManifestStack[], entries: ReadonlyMap<string, StackEntry>): StackEntry[] {
  const inSelection = new Set(ordered.map((s) => s.name));
  const placed = new Set<string>();
  const result: StackEntry[] = [];
  const remaining = [...ordered];
  while (remaining.length > 0) {
    const ready = (s: ManifestStack) => s.dependencies.every((d) => !inSelection.has(d) || placed.has(d));
    const index = [remaining.findIndex((s) => ready(s) && !entries.get(s.name)!.protected), remaining.findIndex(ready)].find((i) => i !== -1);
    // selectStacks already refused cycles, so something is always ready.
    const [next] = remaining.splice(index ?? 0, 1);
    placed.add(next.name);
    result.push(entries.get(next.name)!);
  }
  return result;
}
