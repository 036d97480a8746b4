/**
 * The CDKTF app: one stack per file in environments/. This is the only file that reads
 * process.env; everything else is configured through props, so tests import `buildApp`
 * and synthesize without touching the environment.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { App } from "cdktf";
import { loadEnvironmentSources } from "./src/config/load";
import { PROJECT_ROOT } from "./src/util/project-root";
import { type EnvironmentSource, validateEnvironments } from "./src/config/validate";
import { type ConfigIssue, ConfigValidationError } from "./src/config/issue";
import type { EnvironmentConfig, StateConfig } from "./src/config/types";
import { EnvironmentStack } from "./stacks/environment-stack";
import { stacksOf } from "./stacks/stack-names";
import { assertNoPolicyErrors, collectReport, type PolicyFinding, type PolicyReport, type PolicySuppressionRecord, PolicyViolationError } from "./policies/report";
import { canonicalizeStacks } from "./src/features/synth/canonical-json";
import { withoutTokenStackTraces } from "./src/features/synth/token-stack-traces";
import { codeFingerprint } from "./src/features/synth/code-fingerprint";
import { stackInputDigest, stackInputs } from "./src/features/synth/stack-inputs";
import { buildRecord, fileDigest, type StackRecord, type SynthesisRecord, writeRecord } from "./src/features/synth/synthesis-record";

export interface BuildAppOptions {
  /** Folder of environment files. @default `environments/` beside this file */
  readonly environmentsDir?: string;
  /** Where `synth()` writes. @default cdktf's default (`cdktf.out`, or CDKTF_OUTDIR under the cdktf CLI) */
  readonly outdir?: string;
  /** Fly Machines API base URL for every stack. @default Fly's public API */
  readonly flyApiUrl?: string;
  /** Cloudflare API base URL for every stack. @default Cloudflare's public API */
  readonly cloudflareApiUrl?: string;
  /** Replaces every environment's state settings, e.g. local state for tests. @default each environment's own */
  readonly state?: StateConfig;
  /** How long loading the environment files may take (src/config/bounded-load.ts). @default 30 000 ms */
  readonly loadTimeoutMs?: number;
}

/**
 * What every App is told. `targetVersions`: the Terraform and OpenTofu releases the stacks need
 * (write-only secrets need 1.11). CDK Terrain checks the features a stack uses against it and
 * refuses write-only attributes for its default (Terraform >=1.5.7); CDKTF 0.21 ignores the key.
 * Context is not written into cdk.tf.json.
 */
export const APP_CONTEXT = { targetVersions: { terraform: ">=1.11.0", opentofu: ">=1.11.0" } } as const;

export interface BuiltApp {
  readonly app: App;
  readonly environments: readonly EnvironmentConfig[];
  readonly stacks: readonly EnvironmentStack[];
}

/**
 * Loads and validates every environment, then builds one stack each. Validation runs before any
 * construct exists: on any problem it throws a ConfigValidationError listing all of them, and
 * nothing is synthesized.
 */
export function buildApp(options: BuildAppOptions = {}): BuiltApp {
  const dir = options.environmentsDir ?? path.join(PROJECT_ROOT, "environments");
  const { sources, issues } = loadEnvironmentSources(dir, { timeoutMs: options.loadTimeoutMs });
  return buildAppFromSources(sources, options, issues);
}

/** Like buildApp, from environment values already in memory (generated configurations, tests, benchmarks). */
export function buildAppFromSources(
  sources: readonly EnvironmentSource[],
  options: BuildAppOptions = {},
  loadIssues: readonly ConfigIssue[] = [],
): BuiltApp {
  const environments = validateEnvironments(sources, loadIssues);
  // Stack traces in construct metadata would bloat cdk.tf.json and make it differ per machine.
  const app = new App({ outdir: options.outdir, stackTraces: false, context: APP_CONTEXT });
  const stacks = buildStacks(
    app,
    environments.flatMap((environment) => stacksOf(environment).map((stack) => ({ environment, ...stack }))),
    options,
  );
  return { app, environments, stacks };
}

/**
 * Stacks per cdktf App. Rendering in cdktf slows as the whole heap grows (garbage collection), so
 * a run with more stacks (per-app environments of many apps) is built, judged and written in
 * batches of separate Apps, each released once written. Measured at 10,000 one-machine apps:
 * one App 110 s and 1.9 GB; batches of 1,000: 84 s, 1.7 GB; 200: 41 s, 0.77 GB; 100: 37 s, 0.74 GB.
 */
export const STACKS_PER_BATCH = 100;

export interface SynthesizeOptions extends BuildAppOptions {
  /** Write the stacks, or only judge them (flystack check). @default true */
  readonly write?: boolean;
  /** @default STACKS_PER_BATCH */
  readonly batchSize?: number;
  /**
   * A base revision's synthesis record: a stack whose inputs are the same as there, under the same
   * code fingerprint, writes the same cdk.tf.json, so it is neither built nor written (it is listed
   * in `unchanged`, and in the new record without an output digest).
   * @default every stack is built and written
   */
  readonly unchangedSince?: SynthesisRecord;
}

export interface SynthesisResult {
  readonly environments: readonly EnvironmentConfig[];
  /** Every stack's guardrail findings and suppressions; with an error finding nothing was written. */
  readonly report: PolicyReport;
  /** The stacks not built because their inputs are those of `unchangedSince`. */
  readonly unchanged: readonly string[];
}

/**
 * Validates, builds, judges and (unless `write: false`) writes every environment, as
 * buildAppFromSources + synthesizeApp do, but never holds more than `batchSize` stacks at once: a
 * larger run is built in batches of separate Apps, each judged and written into a staging folder
 * beside the output and then released; the staged stacks and a merged manifest.json move into the
 * output only when every batch passed the guardrails, so an error still writes nothing.
 * Throws ConfigValidationError for invalid configuration.
 */
export function synthesizeSources(sources: readonly EnvironmentSource[], options: SynthesizeOptions = {}, loadIssues: readonly ConfigIssue[] = []): SynthesisResult {
  const environments = validateEnvironments(sources, loadIssues);
  const code = codeFingerprint(PROJECT_ROOT);
  const settings = { flyApiUrl: options.flyApiUrl, cloudflareApiUrl: options.cloudflareApiUrl, state: options.state };
  const all = environments.flatMap((environment) =>
    stacksOf(environment).map((stack) => ({ environment, ...stack, inputs: stackInputDigest(code, stack.name, stackInputs(environment, stack.app), settings) })),
  );
  const base = options.unchangedSince?.code === code ? options.unchangedSince : undefined;
  const isUnchanged = (spec: (typeof all)[number]) => base?.stacks[spec.name]?.inputs === spec.inputs;
  const specs = all.filter((spec) => !isUnchanged(spec));
  const unchanged = all.filter(isUnchanged).map((spec) => spec.name);
  const record = (outdir: string) => writeSynthesisRecord(outdir, code, all, new Set(specs.map((s) => s.name)));
  const size = options.batchSize ?? STACKS_PER_BATCH;
  if (specs.length <= size) {
    const app = new App({ outdir: options.outdir, stackTraces: false, context: APP_CONTEXT });
    buildStacks(app, specs, options);
    const report = collectReport(app);
    if (options.write !== false && !hasErrors(report)) {
      writeApp(app);
      record(app.outdir);
    }
    return { environments, report, unchanged };
  }
  const target = path.resolve(options.outdir ?? "cdktf.out");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const staging = fs.mkdtempSync(path.join(path.dirname(target), ".flystack-synth-"));
  try {
    const findings: PolicyFinding[] = [];
    const suppressions: PolicySuppressionRecord[] = [];
    const batches: string[] = [];
    for (let start = 0; start < specs.length; start += size) {
      const dir = path.join(staging, String(batches.length));
      const app = new App({ outdir: dir, stackTraces: false, context: APP_CONTEXT });
      buildStacks(app, specs.slice(start, start + size), options);
      const report = collectReport(app);
      findings.push(...report.findings);
      suppressions.push(...report.suppressions);
      // Every batch is judged, so an error lists all findings; after one, nothing more is written.
      if (options.write !== false && !findings.some((f) => f.level === "error")) writeApp(app);
      batches.push(dir);
    }
    const report = { findings, suppressions };
    if (options.write !== false && !hasErrors(report)) {
      moveIntoPlace(batches, target);
      record(target);
    }
    return { environments, report, unchanged };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

type StackSpec = { readonly environment: EnvironmentConfig; readonly name: string; readonly app?: string };

/** cdktf.out/flystack-synthesis.json: every stack's inputs, and the digest of each one `written`. */
function writeSynthesisRecord(outdir: string, code: string, specs: readonly { readonly name: string; readonly inputs: string }[], written: ReadonlySet<string>): void {
  const stacks: Record<string, StackRecord> = {};
  for (const spec of specs) {
    stacks[spec.name] = written.has(spec.name) ? { inputs: spec.inputs, output: fileDigest(path.join(outdir, "stacks", spec.name, "cdk.tf.json")) } : { inputs: spec.inputs };
  }
  writeRecord(outdir, buildRecord(code, stacks));
}

function buildStacks(app: App, specs: readonly StackSpec[], options: BuildAppOptions): EnvironmentStack[] {
  return withoutTokenStackTraces(() =>
    specs.map(
      (spec) =>
        new EnvironmentStack(app, spec.name, {
          environment: spec.environment,
          app: spec.app,
          // Built here and then only synthesized: render each stack once (gate and write share it).
          renderOnce: true,
          flyApiUrl: options.flyApiUrl,
          cloudflareApiUrl: options.cloudflareApiUrl,
          state: options.state,
        }),
    ),
  );
}

const hasErrors = (report: PolicyReport) => report.findings.some((f) => f.level === "error");

/** Moves each staged batch's stack folders into `target`/stacks and writes one manifest.json listing them all. */
function moveIntoPlace(batches: readonly string[], target: string): void {
  fs.mkdirSync(path.join(target, "stacks"), { recursive: true });
  let version: unknown;
  const stacks: Record<string, unknown> = {};
  for (const dir of batches) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "manifest.json"), "utf8")) as { version?: unknown; stacks: Record<string, unknown> };
    version ??= manifest.version;
    Object.assign(stacks, manifest.stacks);
    for (const name of fs.readdirSync(path.join(dir, "stacks"))) {
      fs.rmSync(path.join(target, "stacks", name), { recursive: true, force: true });
      fs.renameSync(path.join(dir, "stacks", name), path.join(target, "stacks", name));
    }
  }
  fs.writeFileSync(path.join(target, "manifest.json"), `${JSON.stringify({ version, stacks }, null, 2)}\n`);
}

/** Options from the process environment, for runs under the cdktf CLI and the flystack tooling. */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): BuildAppOptions {
  return {
    environmentsDir: env.FLYSTACK_ENVIRONMENTS_DIR || undefined,
    flyApiUrl: env.FLYSTACK_FLY_API_URL || undefined,
    cloudflareApiUrl: env.FLYSTACK_CLOUDFLARE_API_URL || undefined,
    state: env.FLYSTACK_LOCAL_STATE_DIR ? { backend: "local", directory: env.FLYSTACK_LOCAL_STATE_DIR } : undefined,
    loadTimeoutMs: loadTimeoutFromEnv(env.FLYSTACK_ENV_LOAD_TIMEOUT_S),
  };
}

/** FLYSTACK_ENV_LOAD_TIMEOUT_S: seconds, more than 0 and at most a day; unset or empty for the default. */
function loadTimeoutFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new ConfigValidationError([
      { environment: "environments", path: "", message: `FLYSTACK_ENV_LOAD_TIMEOUT_S must be a number of seconds above 0 and at most 86400, got ${JSON.stringify(value.slice(0, 40))}` },
    ]);
  }
  return seconds * 1000;
}

/**
 * Writes every stack, after the guardrails passed on all of them: a PolicyViolationError lists
 * every finding at once and nothing is written (the pack's own annotations would stop app.synth()
 * at the first failing stack, after writing the ones before it).
 */
export function synthesizeApp(built: BuiltApp): void {
  assertNoPolicyErrors(built.app);
  writeApp(built.app);
}

/** Writes the app's stacks, in one canonical JSON form whichever construct library rendered them (src/features/synth/canonical-json.ts). */
function writeApp(app: App): void {
  app.synth();
  canonicalizeStacks(app.outdir);
}

if (require.main === module) {
  try {
    const options = optionsFromEnv(process.env);
    const { sources, issues } = loadEnvironmentSources(options.environmentsDir ?? path.join(PROJECT_ROOT, "environments"), { timeoutMs: options.loadTimeoutMs });
    const { report } = synthesizeSources(sources, { ...options, outdir: process.env.CDKTF_OUTDIR || undefined }, issues);
    if (report.findings.some((f) => f.level === "error")) throw new PolicyViolationError(report);
  } catch (error) {
    // Bad input is reported, never thrown at the user as a stack trace; FLYSTACK_DEBUG=1 shows one.
    const message = error instanceof ConfigValidationError || error instanceof PolicyViolationError ? error.message : `synthesis failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\nNothing was synthesized.\n`);
    if (process.env.FLYSTACK_DEBUG === "1" && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
