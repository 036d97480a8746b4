import type { CliContext, Command } from "../command";
import { parseArgs, UsageError } from "../args";
import { StackSelectionError } from "../stacks";
import { isObject } from "../../src/util/json-object";
import { readStackEntries } from "../stack-entries";

/** The variable a workflow step sets to `${{ toJSON(secrets) }}`. */
export const SECRETS_VARIABLE = "SECRETS_JSON";

/**
 * The only command that reads TF_VAR_* secrets: plan and drift give them a placeholder (see
 * ../plan-secrets.ts), so no planning step needs, or should get, a secret.
 */
const INNER_COMMANDS = ["apply"];

/**
 * From a JSON object of secrets (GitHub's `toJSON(secrets)`), exactly the TF_VAR_* entries named in
 * `wanted` that hold a non-empty string; the names of the wanted ones it lacks go to `missing`.
 */
export function pickSecrets(secretsJson: string, wanted: readonly string[]): { env: Record<string, string>; missing: string[] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretsJson);
  } catch {
    // Never echo the text: it holds secret values.
    throw new UsageError(`$${SECRETS_VARIABLE} is not valid JSON (set it to \${{ toJSON(secrets) }})`);
  }
  if (!isObject(parsed)) throw new UsageError(`$${SECRETS_VARIABLE} is not a JSON object (set it to \${{ toJSON(secrets) }})`);
  const env: Record<string, string> = {};
  const missing: string[] = [];
  for (const name of wanted) {
    const value = parsed[name];
    if (name.startsWith("TF_VAR_") && typeof value === "string" && value !== "") env[name] = value;
    else missing.push(name);
  }
  return { env, missing };
}

export const withSecrets: Command = {
  name: "with-secrets",
  summary: "Run apply with the TF_VAR_* secrets its stacks declare, taken from $SECRETS_JSON",
  help: `Usage: flystack with-secrets STACK… -- COMMAND [ARGS…]

Runs "flystack apply ARGS…" in the same process, with the TF_VAR_* secrets
that the stacks STACK… declare (their Terraform variables without a default, as in cdktf.out) taken
from the JSON object in $${SECRETS_VARIABLE}, and $${SECRETS_VARIABLE} itself removed. Nothing else of
that object reaches the command, and nothing is written to a file or printed but the names.

Made for GitHub Actions, where a step passes every secret of its environment without naming any:

  - env:
      ${SECRETS_VARIABLE}: \${{ toJSON(secrets) }}
    run: bin/flystack with-secrets "\${stacks[@]}" -- apply --plans plans --parallel 8 "\${stacks[@]}"

It never synthesizes: it reads the stacks already in cdktf.out (the plan's, unsealed). plan and
drift need no secrets (their variables get a placeholder Terraform never stores), so only apply is
accepted. A declared secret missing from $${SECRETS_VARIABLE} (or empty) is named on stderr and left
unset: apply then refuses that stack, naming it.

Arguments:
  STACK…    Stacks whose secrets to pass; globs work.
  COMMAND   apply, with its own arguments.
Options:
  --help    Show this help.

Exit codes: apply's; 1 when $${SECRETS_VARIABLE} is unset or not a JSON object,
or no stack matches.`,
  async run(args, ctx) {
    const separator = args.indexOf("--");
    if (separator === -1) throw new UsageError('put the command after "--": flystack with-secrets STACK… -- apply --plans DIR STACK …');
    const { positionals: patterns } = parseArgs(args.slice(0, separator), {});
    const [inner, ...innerArgs] = args.slice(separator + 1);
    if (patterns.length === 0) throw new UsageError("name the stacks whose secrets to pass, before \"--\"");
    if (!inner || !INNER_COMMANDS.includes(inner)) {
      throw new UsageError(`the command after "--" must be one of ${INNER_COMMANDS.join(", ")}; got ${inner ? `"${inner}"` : "nothing"}`);
    }
    const secretsJson = ctx.env[SECRETS_VARIABLE];
    if (secretsJson === undefined || secretsJson === "") {
      throw new UsageError(`$${SECRETS_VARIABLE} is not set; set it to the secrets as a JSON object (in a workflow step: \${{ toJSON(secrets) }})`);
    }

    let wanted: string[];
    try {
      wanted = [...new Set(readStackEntries(ctx, patterns).flatMap((e) => e.secrets))].sort();
    } catch (error) {
      if (error instanceof StackSelectionError) throw new StackSelectionError(`${error.message.replace(/, or drop --skip-synth$/, "")} (with-secrets never synthesizes)`);
      throw error;
    }
    const { env: picked, missing } = pickSecrets(secretsJson, wanted);
    ctx.stderr.write(`with-secrets: passing ${Object.keys(picked).length} of ${wanted.length} declared secrets to flystack ${inner}\n`);
    if (missing.length > 0) ctx.stderr.write(`with-secrets: not in $${SECRETS_VARIABLE} or empty: ${missing.join(", ")}\n`);

    const env: Record<string, string | undefined> = { ...ctx.env, ...picked };
    delete env[SECRETS_VARIABLE];
    const innerCtx: CliContext = { ...ctx, env };
    if (!ctx.runCommand) throw new Error("with-secrets runs inside flystack's CLI (runCli sets ctx.runCommand)");
    return ctx.runCommand([inner, ...innerArgs], innerCtx);
  },
};
