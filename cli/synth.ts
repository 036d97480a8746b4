import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";
import { ConfigValidationError } from "../src/config/issue";
import type { PolicyReport } from "../policies/report";
import { environmentFileNames, loadEnvironmentSources } from "../src/config/load";
import { selectStacks } from "./stacks";
import { environmentOfStack } from "../stacks/stack-names";
import { readRecord, type SynthesisRecord, withCommit, writeRecord } from "../src/features/synth/synthesis-record";
import { currentCommit } from "./plan-file";

export interface SynthResult {
  /** False when nothing was written: invalid configuration or a guardrail error (already printed). */
  readonly ok: boolean;
  /** The guardrails' findings and suppressions, when the configuration was valid. */
  readonly report?: PolicyReport;
  /** Environment names, in synthesis order. */
  readonly environments: readonly string[];
  /** Stacks not written because their inputs are those of `unchangedSince` (see main.ts). */
  readonly unchanged: readonly string[];
}

export interface SynthOptions {
  /** Only judge, write nothing (flystack check). @default false */
  readonly write?: boolean;
  /** Stack or environment patterns that must each name an environment. @default none */
  readonly select?: readonly string[];
  /** A base revision's synthesis record: stacks whose inputs it has are not written. @default none */
  readonly unchangedSince?: SynthesisRecord;
}

/**
 * Synthesizes every environment of the project at `ctx.cwd` into its cdktf.out (after checking that
 * each `select` pattern names an environment: a StackSelectionError otherwise, before any work), in-process (no cdktf
 * CLI, no Terraform), with the same gates as main.ts: invalid configuration or any guardrail error
 * prints every problem and writes nothing.
 */
export async function synthesize(ctx: CliContext, options: SynthOptions = {}): Promise<SynthResult> {
  // A name that matches no environment is refused before anything is synthesized or written.
  if (options.select && options.select.length > 0) {
    const dir = ctx.env.FLYSTACK_ENVIRONMENTS_DIR || path.join(ctx.cwd, "environments");
    const names = environmentFileNames(dir).map((file) => ({ name: path.basename(file, ".ts"), dir: "", dependencies: [] }));
    // A per-app stack's name (`production_api`) names its environment's file.
    selectStacks(names, options.select.map(environmentOfStack));
  }
  // cdktf's App creates its output folder when constructed: a check that writes nothing uses a throwaway one.
  const scratch = options.write === false ? fs.mkdtempSync(path.join(os.tmpdir(), "flystack-check-")) : undefined;
  try {
    return await synthesizeInto(ctx, scratch ?? path.join(ctx.cwd, "cdktf.out"), options);
  } finally {
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function synthesizeInto(ctx: CliContext, outdir: string, options: SynthOptions): Promise<SynthResult> {
  const started = Date.now();
  ctx.stderr.write("synthesizing every environment…\n");
  // Loaded lazily, so commands that never synthesize (summarize, apply) skip loading cdktf.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- import() would go through the ESM loader under tsx
  const main = require("../main") as typeof import("../main");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const policies = require("../policies/report") as typeof import("../policies/report");
  let result;
  let environmentsDir = path.join(ctx.cwd, "environments");
  try {
    const fromEnv = main.optionsFromEnv(ctx.env);
    environmentsDir = fromEnv.environmentsDir ?? environmentsDir;
    const { sources, issues } = loadEnvironmentSources(environmentsDir, { timeoutMs: fromEnv.loadTimeoutMs });
    // Judges every stack and writes them only when the guardrails pass (in batches when there are many).
    result = main.synthesizeSources(sources, { ...fromEnv, environmentsDir, outdir, write: options.write, unchangedSince: options.unchangedSince }, issues);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    ctx.stderr.write(`${error.message}\nNothing was synthesized.\n`);
    return { ok: false, environments: [], unchanged: [] };
  }
  const environments = result.environments.map((e) => e.name);
  const report = result.report;
  if (report.findings.some((f) => f.level === "error")) {
    // A caller that only reports (flystack check) prints the findings itself.
    if (options.write !== false) ctx.stderr.write(`${new policies.PolicyViolationError(report).message}\nNothing was synthesized.\n`);
    return { ok: false, report, environments, unchanged: [] };
  }
  const unchanged = result.unchanged;
  if (options.write !== false) {
    // The record says which commit was synthesized (plan checks it against the checkout it plans in).
    const commit = await currentCommit(ctx);
    const record = readRecord(outdir);
    if (record && commit) writeRecord(outdir, withCommit(record, commit));
    const reused = unchanged.length > 0 ? `; ${unchanged.length} stack(s) left out, their inputs unchanged since the base revision` : "";
    ctx.stderr.write(`synthesized ${environments.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)}s${reused}\n`);
  }
  return { ok: true, report, environments, unchanged };
}
