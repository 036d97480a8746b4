/**
 * `flystack state pull|split`: move an environment from one stack to per-app stacks
 * (`stacks: "per-app"`) without recreating anything: pull the environment's state while it is
 * still one stack, switch the environment file to per-app, then split that state into the new
 * stacks' (empty) states. docs/runbook.md, "Move an environment to per-app stacks".
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type Command, EXIT, type CliContext } from "../command";
import { parseArgs, UsageError } from "../args";
import { synthesize } from "../synth";
import { readManifest, selectStacks } from "../stacks";
import { readStackFile } from "../stack-files";
import { terraformFor } from "../terraform-binary";
import { errorSummary } from "../../src/features/terraform/terraform";
import { parseState, splitState, StateFileError, targetOf } from "../../src/features/state/split";

const HELP = `Usage: flystack state pull STACK [--out FILE] [--skip-synth] [--terraform BIN]
       flystack state split ENV --from FILE [--dry-run] [--skip-synth] [--terraform BIN]

Moves an environment from one stack to one stack per app (stacks: "per-app") with nothing recreated:

  1. flystack state pull production --out production.tfstate
     (while environments/production.ts still makes one stack) writes that stack's state to FILE.
  2. Set stacks: "per-app" in environments/production.ts.
  3. flystack state split production --from production.tfstate
     gives each new stack (production_<app>) the resources and outputs it declares, with the same
     addresses, and pushes each into its own, empty state (<project>/production/<app>.tfstate).
     Every resource of FILE must belong to exactly one new stack, and every new stack's state must
     be empty; otherwise nothing is pushed. --dry-run says what would move and pushes nothing.
  4. flystack plan production: each stack plans no change. Then delete the old state object
     (<project>/production/production.tfstate) once the plans are clean.

FILE holds everything Terraform knows about the environment (secret digests, never values): keep
it out of the repository and delete it when done.

Options:
  --out FILE         Where pull writes. Default: STACK.tfstate.
  --from FILE        The state pull wrote (or terraform state pull printed).
  --dry-run          Split, report, push nothing.
  --skip-synth       Use the stacks already in cdktf.out.
  --terraform BIN    terraform, tofu, or a path. Default: $TERRAFORM_BINARY_NAME or terraform.
  --help             Show this help.

Exit codes: 0 done; 1 an error (for split: nothing pushed unless a push itself failed, which is named).`;

async function pull(ctx: CliContext, args: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(args, { out: { kind: "string" }, "skip-synth": { kind: "boolean" }, terraform: { kind: "string" } });
  if (positionals.length !== 1) throw new UsageError("name one stack: flystack state pull STACK [--out FILE]");
  if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
  const stacks = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
  if (stacks.length !== 1) throw new UsageError(`"${positionals[0]}" names ${stacks.length} stacks (${stacks.map((s) => s.name).join(", ")}); name one`);
  const [stack] = stacks;
  const terraform = terraformFor(ctx, options.terraform);
  ctx.stderr.write(`[${stack.name}] init…\n`);
  const init = await terraform.init(stack.dir);
  if (init.code !== 0) return fail(ctx, `${stack.name}: terraform init failed:\n${errorSummary(init)}`);
  const pulled = await terraform.statePull(stack.dir);
  if (pulled.code !== 0) return fail(ctx, `${stack.name}: terraform state pull failed:\n${errorSummary(pulled)}`);
  const state = parseState(pulled.stdout, `the state of ${stack.name}`);
  const out = path.resolve(ctx.cwd, options.out ?? `${stack.name}.tfstate`);
  fs.writeFileSync(out, pulled.stdout, { mode: 0o600 });
  ctx.stdout.write(`wrote ${path.relative(ctx.cwd, out)}: ${state.resources?.length ?? 0} resources of ${stack.name} (keep it out of the repository)\n`);
  return EXIT.ok;
}

async function split(ctx: CliContext, args: readonly string[]): Promise<number> {
  const { options, positionals } = parseArgs(args, { from: { kind: "string" }, "dry-run": { kind: "boolean" }, "skip-synth": { kind: "boolean" }, terraform: { kind: "string" } });
  if (positionals.length !== 1) throw new UsageError("name one environment: flystack state split ENV --from FILE");
  if (!options.from) throw new UsageError("--from FILE is required: the state flystack state pull wrote");
  const file = path.resolve(ctx.cwd, options.from);
  if (!fs.existsSync(file)) throw new UsageError(`--from ${options.from}: no such file`);
  const source = parseState(fs.readFileSync(file, "utf8"), options.from);
  if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
  const stacks = selectStacks(readManifest(path.join(ctx.cwd, "cdktf.out")), positionals);
  const env = positionals[0];
  const notPerApp = stacks.filter((s) => readStackFile(s.dir).metadata?.app === undefined);
  if (notPerApp.length > 0) return fail(ctx, `${env} is not split into per-app stacks (${notPerApp.map((s) => s.name).join(", ")}): set stacks: "per-app" in its environment file first`);

  const targets = stacks.map((s) => targetOf(s.name, JSON.parse(fs.readFileSync(path.join(s.dir, "cdk.tf.json"), "utf8"))));
  const result = splitState(source, targets);
  if (result.leftovers.length > 0 || result.claimedTwice.length > 0) {
    const lines = [
      ...(result.leftovers.length > 0 ? [`${result.leftovers.length} resource(s) of ${options.from} belong to no stack of ${env}: ${result.leftovers.join(", ")} (is this the state of ${env}? was an app removed from its file?)`] : []),
      ...(result.claimedTwice.length > 0 ? [`declared by two stacks: ${result.claimedTwice.join(", ")}`] : []),
    ];
    return fail(ctx, `${lines.join("\n")}\nnothing was pushed`);
  }
  for (const [stack, state] of result.states) ctx.stderr.write(`[${stack}] ${state.resources?.length ?? 0} resource(s), ${Object.keys(state.outputs ?? {}).length} output(s)\n`);
  if (options["dry-run"]) {
    ctx.stdout.write(`dry run: ${source.resources?.length ?? 0} resources would move into ${result.states.size} stacks; nothing pushed\n`);
    return EXIT.ok;
  }

  // Every target must be empty before anything is pushed: a half-split environment is refused whole.
  const terraform = terraformFor(ctx, options.terraform);
  for (const stack of stacks) {
    ctx.stderr.write(`[${stack.name}] init…\n`);
    const init = await terraform.init(stack.dir);
    if (init.code !== 0) return fail(ctx, `${stack.name}: terraform init failed, nothing pushed:\n${errorSummary(init)}`);
    const current = await terraform.statePull(stack.dir);
    if (current.code !== 0) return fail(ctx, `${stack.name}: terraform state pull failed, nothing pushed:\n${errorSummary(current)}`);
    const existing = current.stdout.trim() === "" ? 0 : (parseState(current.stdout, `the state of ${stack.name}`).resources?.length ?? 0);
    if (existing > 0) return fail(ctx, `${stack.name} already has ${existing} resource(s) in its state; nothing pushed (split only into empty per-app states)`);
  }
  for (const stack of stacks) {
    const state = result.states.get(stack.name)!;
    const temp = path.join(stack.dir, `.flystack-split.tfstate`);
    fs.writeFileSync(temp, JSON.stringify(state, null, 2), { mode: 0o600 });
    try {
      const pushed = await terraform.statePush(stack.dir, temp);
      if (pushed.code !== 0) return fail(ctx, `${stack.name}: terraform state push failed (stacks before it were pushed):\n${errorSummary(pushed)}`);
    } finally {
      fs.rmSync(temp, { force: true });
    }
    ctx.stderr.write(`[${stack.name}] pushed\n`);
  }
  ctx.stdout.write(`moved ${source.resources?.length ?? 0} resources of ${env} into ${stacks.length} stacks: ${stacks.map((s) => s.name).join(", ")}\nnext: flystack plan ${env} (no change expected), then delete the old state object\n`);
  return EXIT.ok;
}

function fail(ctx: CliContext, message: string): number {
  ctx.stderr.write(`flystack state: ${message}\n`);
  return EXIT.error;
}

export const state: Command = {
  name: "state",
  summary: "Move an environment's state into per-app stacks (state pull, state split)",
  help: HELP,
  async run(args, ctx) {
    const [sub, ...rest] = args;
    try {
      if (sub === "pull") return await pull(ctx, rest);
      if (sub === "split") return await split(ctx, rest);
    } catch (error) {
      if (error instanceof StateFileError) return fail(ctx, error.message);
      throw error;
    }
    throw new UsageError(sub === undefined ? "name a subcommand: pull or split" : `unknown subcommand "${sub}"; allowed: pull, split`);
  },
};
