/**
 * The CDKTF app: one stack per file in environments/. This is the only file that reads
 * process.env; everything else is configured through props, so tests import `buildApp`
 * and synthesize without touching the environment.
 */
import * as path from "node:path";
import { App } from "cdktf";
import { loadEnvironmentSources } from "./src/config/load";
import { PROJECT_ROOT } from "./src/project-root";
import { type EnvironmentSource, validateEnvironments } from "./src/config/validate";
import { type ConfigIssue, ConfigValidationError } from "./src/config/issue";
import type { EnvironmentConfig, StateConfig } from "./src/config/types";
import { EnvironmentStack } from "./stacks/environment-stack";
import { stacksOf } from "./stacks/stack-names";
import { assertNoPolicyErrors, PolicyViolationError } from "./policies/report";
import { withoutTokenStackTraces } from "./src/synth/token-stack-traces";

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
}

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
  const { sources, issues } = loadEnvironmentSources(dir);
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
  const app = new App({ outdir: options.outdir, stackTraces: false });
  const stacks = withoutTokenStackTraces(() => environments.flatMap((environment) =>
    stacksOf(environment).map(
      (stack) =>
        new EnvironmentStack(app, stack.name, {
          environment,
          app: stack.app,
          // Built here and then only synthesized: render each stack once (gate and write share it).
          renderOnce: true,
          flyApiUrl: options.flyApiUrl,
          cloudflareApiUrl: options.cloudflareApiUrl,
          state: options.state,
        }),
    ),
  ));
  return { app, environments, stacks };
}

/** Options from the process environment, for runs under the cdktf CLI and the flystack tooling. */
export function optionsFromEnv(env: Readonly<Record<string, string | undefined>>): BuildAppOptions {
  return {
    environmentsDir: env.FLYSTACK_ENVIRONMENTS_DIR || undefined,
    flyApiUrl: env.FLYSTACK_FLY_API_URL || undefined,
    cloudflareApiUrl: env.FLYSTACK_CLOUDFLARE_API_URL || undefined,
    state: env.FLYSTACK_LOCAL_STATE_DIR ? { backend: "local", directory: env.FLYSTACK_LOCAL_STATE_DIR } : undefined,
  };
}

/**
 * Writes every stack, after the guardrails passed on all of them: a PolicyViolationError lists
 * every finding at once and nothing is written (the pack's own annotations would stop app.synth()
 * at the first failing stack, after writing the ones before it).
 */
export function synthesizeApp(built: BuiltApp): void {
  assertNoPolicyErrors(built.app);
  built.app.synth();
}

if (require.main === module) {
  try {
    synthesizeApp(buildApp(optionsFromEnv(process.env)));
  } catch (error) {
    // Bad input is reported, never thrown at the user as a stack trace; FLYSTACK_DEBUG=1 shows one.
    const message = error instanceof ConfigValidationError || error instanceof PolicyViolationError ? error.message : `synthesis failed: ${error instanceof Error ? error.message : String(error)}`;
    process.stderr.write(`${message}\nNothing was synthesized.\n`);
    if (process.env.FLYSTACK_DEBUG === "1" && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    process.exitCode = 1;
  }
}
