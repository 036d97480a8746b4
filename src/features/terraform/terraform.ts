import type { ProcessRunner, RunResult } from "../../process/runner";

/** The outcome of `plan -detailed-exitcode`: 0 no changes, 2 changes, anything else an error. */
export type PlanOutcome = "no-changes" | "changes" | "error";

export interface TerraformOptions {
  /** `terraform`, `tofu`, or a path. */
  readonly binary: string;
  readonly runner: ProcessRunner;
  /** The environment Terraform runs with (credentials, TF_VAR_* secrets). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Each line Terraform writes to stderr, for progress output. */
  readonly onStderrLine?: (line: string) => void;
}

export interface StepResult extends RunResult {
  /** The command line, for error messages. */
  readonly commandLine: string;
}

/**
 * Terraform (or OpenTofu) as the CLI uses it: non-interactive, uncoloured, one working directory
 * per stack. Every external call goes through the injected ProcessRunner.
 */
export class Terraform {
  constructor(private readonly options: TerraformOptions) {}

  get binary(): string {
    return this.options.binary;
  }

  private async exec(dir: string, args: readonly string[], afterInterruption = false): Promise<StepResult> {
    const env = { ...this.options.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
    const result = await this.options.runner.run(this.options.binary, args, { cwd: dir, env, onStderrLine: this.options.onStderrLine, afterInterruption });
    return { ...result, commandLine: [this.options.binary, ...args].join(" ") };
  }

  init(dir: string): Promise<StepResult> {
    return this.exec(dir, ["init", "-input=false", "-no-color"]);
  }

  /**
   * `plan -detailed-exitcode -out=<planFile>`; `refreshOnly` plans only what changed outside Terraform;
   * `replace` adds `-replace=<address>` for each address, in order.
   */
  async plan(dir: string, planFile: string, refreshOnly = false, replace: readonly string[] = []): Promise<{ outcome: PlanOutcome; step: StepResult }> {
    const args = ["plan", "-input=false", "-no-color", "-lock-timeout=5m", "-detailed-exitcode", `-out=${planFile}`];
    if (refreshOnly) args.push("-refresh-only");
    for (const address of replace) args.push(`-replace=${address}`);
    const step = await this.exec(dir, args);
    return { outcome: step.code === 0 ? "no-changes" : step.code === 2 ? "changes" : "error", step };
  }

  showJson(dir: string, planFile: string): Promise<StepResult> {
    return this.exec(dir, ["show", "-json", "-no-color", planFile]);
  }

  /** `show PLANFILE` as a person reads it: Terraform masks sensitive values and never has write-only ones. */
  showText(dir: string, planFile: string): Promise<StepResult> {
    return this.exec(dir, ["show", "-no-color", planFile]);
  }

  /**
   * `show -json` of the stack's state: what Terraform has recorded. Runs even after an interruption
   * (it only reads), so an interrupted apply's record says what it did.
   */
  stateJson(dir: string): Promise<StepResult> {
    return this.exec(dir, ["show", "-json", "-no-color"], true);
  }

  /** `state pull`: the stack's state as JSON on stdout (empty when it has none). */
  statePull(dir: string): Promise<StepResult> {
    return this.exec(dir, ["state", "pull"]);
  }

  /** `state push FILE`: replaces the stack's (empty) state with FILE; Terraform refuses another lineage. */
  statePush(dir: string, file: string): Promise<StepResult> {
    return this.exec(dir, ["state", "push", "-lock-timeout=5m", file]);
  }

  /**
   * Applies a saved plan. `onProvisionerLine` hears what provisioners (release hooks, canary gates)
   * print, as Terraform relays it (`null_resource.x (local-exec): …`), while they run.
   */
  async apply(dir: string, planFile: string, onProvisionerLine?: (line: string) => void): Promise<StepResult> {
    const args = ["apply", "-input=false", "-no-color", "-lock-timeout=5m", planFile];
    const env = { ...this.options.env, TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
    const onStdoutLine = onProvisionerLine ? (line: string) => (/\((local-exec)\): /.test(line) ? onProvisionerLine(line) : undefined) : undefined;
    const result = await this.options.runner.run(this.options.binary, args, { cwd: dir, env, onStderrLine: this.options.onStderrLine, onStdoutLine });
    return { ...result, commandLine: [this.options.binary, ...args].join(" ") };
  }
}

/** Terraform's wording when a saved plan no longer matches the state it was made against. */
export function isStalePlanError(stderr: string): boolean {
  return /Saved plan is stale/i.test(stderr);
}

/** The error lines of a failed step, without Terraform's box drawing, for summaries. */
export function errorSummary(step: RunResult): string {
  const text = `${step.stderr}\n${step.stdout}`
    .split("\n")
    .map((l) => l.replace(/^[│╷╵]\s?/, "").trimEnd())
    .filter((l) => l.trim() !== "");
  const start = text.findIndex((l) => /^Error:/.test(l));
  const relevant = start === -1 ? text.slice(-15) : text.slice(start, start + 15);
  return relevant.join("\n") || `exit code ${step.code}`;
}
