import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CliContext } from "./command";
import { ConfigValidationError } from "../src/config/issue";
import type { PolicyReport } from "../policies/report";
import { environmentFileNames, loadEnvironmentSources } from "../src/config/load";
import { selectStacks } from "./stacks";
import { environmentOfStack } from "../stacks/stack-names";

export interface SynthResult {
  /** False when nothing was written: invalid configuration or a guardrail error (already printed). */
  readonly ok: boolean;
  /** The guardrails' findings and suppressions, when the configuration was valid. */
  readonly report?: PolicyReport;
  /** Environment names, in synthesis order. */
  readonly environments: readonly string[];
}

/**
 * Synthesizes every environment of the project at `ctx.cwd` into its cdktf.out (after checking that
 * each `select` pattern names an environment: a StackSelectionError otherwise, before any work), in-process (no cdktf
 * CLI, no Terraform), with the same gates as main.ts: invalid configuration or any guardrail error
 * prints every problem and writes nothing.
 */
export async function synthesize(ctx: CliContext, options: { write?: boolean; select?: readonly string[] } = {}): Promise<SynthResult> {
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

async function synthesizeInto(ctx: CliContext, outdir: string, options: { write?: boolean }): Promise<SynthResult> {
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
    result = main.synthesizeSources(sources, { ...fromEnv, environmentsDir, outdir, write: options.write }, issues);
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    ctx.stderr.write(`${error.message}\nNothing was synthesized.\n`);
    return { ok: false, environments: [] };
  }
  const environments = result.environments.map((e) => e.name);
  const report = result.report;
  if (report.findings.some((f) => f.level === "error")) {
    // A caller that only reports (flystack check) prints the findings itself.
    if (options.write !== false) ctx.stderr.write(`${new policies.PolicyViolationError(report).message}\nNothing was synthesized.\n`);
    return { ok: false, report, environments };
  }
  if (options.write !== false) ctx.stderr.write(`synthesized ${environments.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)}s\n`);
  return { ok: true, report, environments };
}
