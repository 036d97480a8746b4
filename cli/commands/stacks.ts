import * as path from "node:path";
import { type CliContext, type Command, EXIT } from "../command";
import { parseArgs, UsageError } from "../args";
import { synthesize } from "../synth";
import { type ManifestStack, readManifest, selectStacks } from "../stacks";
import { readStackFile } from "../stack-files";
import { assertCommit, compareWithRevision, synthesizeChangedSince } from "../changed-stacks";
import { removedReason, unchangedReason, writeSummary } from "../plan-summary";

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

export const stacks: Command = {
  name: "stacks",
  summary: "List the synthesized stacks in deploy order, with environment, protection and secrets (--json: a workflow matrix)",
  help: `Usage: flystack stacks [STACK…] [--json] [--skip-synth] [--changed-since REF [--summary-out DIR]]

Synthesizes every environment (unless --skip-synth), then lists the stacks of cdktf.out in deploy
order: stacks of unprotected environments first, then protected ones (a stack never comes before
one it depends on). For each: its environment, whether that is protected, and the TF_VAR_* secrets
it needs (one per Terraform variable without a default: TF_VAR_<app>_<NAME>).

The workflows build their job matrices from it, so adding an environment or an app secret needs no
workflow change. What to create in GitHub for these stacks: flystack setup.

Arguments:
  STACK…        Stacks to list; globs work. Default: every stack.
Options:
  --json        Print one line of JSON, an array in deploy order, fit for $GITHUB_OUTPUT and fromJSON:
                [ { "stack", "environment", "protected", "secrets": [ "TF_VAR_…" ] } ]
  --skip-synth  List the stacks already in cdktf.out.
  --changed-since REF
                List only the stacks "flystack plan --changed-since REF" would plan: those whose
                synthesized JSON differs from git revision REF's, and new ones (stderr names the
                others). For a workflow matrix of changed stacks.
  --summary-out DIR
                With --changed-since: also write DIR/summary.json and DIR/summary.md naming the
                stacks skipped as unchanged and those removed since REF (no plans), for
                "flystack summarize --gather" to merge with the matrix jobs' plans.
  --help        Show this help.

Exit codes: 0 listed (also when there are none: [] with --json); 1 invalid configuration, no
stack matches a STACK argument, or REF is not a commit (or does not synthesize).`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" }, "skip-synth": { kind: "boolean" }, "changed-since": { kind: "string" }, "summary-out": { kind: "string" } });
    const ref = options["changed-since"];
    if (options["summary-out"] !== undefined && ref === undefined) throw new UsageError("--summary-out goes with --changed-since");
    if (ref !== undefined) await assertCommit(ctx, ref, "--changed-since");
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    let entries = readStackEntries(ctx, positionals);
    if (ref !== undefined) {
      const base = await synthesizeChangedSince(ctx, ref);
      try {
        const changes = compareWithRevision(ctx, selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals), base, ref, positionals);
        const changed = new Set(changes.changed.map((s) => s.name));
        entries = entries.filter((e) => changed.has(e.stack));
        for (const name of changes.unchanged) ctx.stderr.write(`${name}: ${unchangedReason(ref)}\n`);
        for (const name of changes.removed) ctx.stderr.write(`${name}: ${removedReason(ref)}\n`);
        if (options["summary-out"] !== undefined) {
          const data = {
            stacks: [],
            changedSince: ref,
            skipped: changes.unchanged.map((stack) => ({ stack, reason: unchangedReason(ref) })),
            removed: changes.removed.map((stack) => ({ stack, reason: removedReason(ref) })),
          };
          writeSummary(path.resolve(ctx.cwd, options["summary-out"]), data, `<!-- flystack-plan:${changes.unchanged.join("+") || "none"} -->`);
        }
      } finally {
        await base.cleanup();
      }
    }
    if (options.json) {
      ctx.stdout.write(`${JSON.stringify(entries)}\n`);
      return EXIT.ok;
    }
    if (entries.length === 0) {
      ctx.stdout.write("no stacks in cdktf.out\n");
      return EXIT.ok;
    }
    const rows = [["stack", "environment", "protected", "secrets"], ...entries.map((e) => [e.stack, e.environment, e.protected ? "yes" : "no", e.secrets.join(", ") || "(none)"])];
    const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
    ctx.stdout.write(`${rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n")}\n`);
    return EXIT.ok;
  },
};
