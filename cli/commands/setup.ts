import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { readStackEntries, type StackEntry } from "../stack-entries";

/** The credentials every GitHub environment holds, whatever its stacks. */
export const CREDENTIALS = ["FLY_API_TOKEN", "CLOUDFLARE_API_TOKEN", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] as const;

/** The private key that opens the sealed deploy plans (flystack unseal): only where plans are applied. */
export const PLAN_PRIVATE_KEY = "FLYSTACK_PLAN_PRIVATE_KEY";

/** The Ed25519 key deploy.yml's sign jobs sign the sealed plans with (flystack sign), and the environment that alone holds it. */
export const PLAN_SIGNING_KEY = "FLYSTACK_PLAN_SIGNING_KEY";
export const SIGNING_ENVIRONMENT = "plan-signing";

/** One GitHub environment the workflows use. */
export interface GitHubEnvironment {
  readonly name: string;
  /** "plan": plan.yml, drift.yml and deploy.yml's plan jobs; "apply": deploy.yml's apply jobs; "sign": deploy.yml's sign jobs. */
  readonly purpose: "plan" | "apply" | "sign";
  /** The flystack environment it serves; "*" for the signing environment, which serves every one. */
  readonly environment: string;
  readonly stacks: readonly string[];
  /** Required reviewers: only the apply environment of a protected environment. */
  readonly requiredReviewers: boolean;
  /** Deployment branches that may use it; null: every branch (pull requests must reach plan environments). */
  readonly deploymentBranches: readonly string[] | null;
  /**
   * Every secret it must hold: the credentials; where it applies, also the plan key and the TF_VAR_*
   * of its stacks (plans need no app secret, so the environments pull requests reach hold none).
   */
  readonly secrets: readonly string[];
}

/**
 * The GitHub environments for these stacks: per flystack environment, `<environment>-plan` (credentials
 * that can plan; reachable from pull-request branches) and `<environment>` (credentials that apply;
 * branch main; required reviewers when protected). Stacks of one environment share both.
 */
export function githubEnvironments(entries: readonly StackEntry[]): GitHubEnvironment[] {
  const byEnvironment = new Map<string, StackEntry[]>();
  for (const entry of entries) byEnvironment.set(entry.environment, [...(byEnvironment.get(entry.environment) ?? []), entry]);
  const result: GitHubEnvironment[] = [];
  for (const [environment, group] of byEnvironment) {
    const stacks = group.map((e) => e.stack);
    const appSecrets = [...new Set(group.flatMap((e) => e.secrets))].sort();
    const isProtected = group.some((e) => e.protected);
    result.push({ name: `${environment}-plan`, purpose: "plan", environment, stacks, requiredReviewers: false, deploymentBranches: null, secrets: [...CREDENTIALS] });
    result.push({ name: environment, purpose: "apply", environment, stacks, requiredReviewers: isProtected, deploymentBranches: ["main"], secrets: [...CREDENTIALS, PLAN_PRIVATE_KEY, ...appSecrets] });
  }
  // One signing environment for every stack: branch main only, the signing key and nothing else.
  if (entries.length > 0) {
    result.push({ name: SIGNING_ENVIRONMENT, purpose: "sign", environment: "*", stacks: entries.map((e) => e.stack), requiredReviewers: false, deploymentBranches: ["main"], secrets: [PLAN_SIGNING_KEY] });
  }
  return result;
}

function renderText(environments: readonly GitHubEnvironment[]): string {
  if (environments.length === 0) return "No stacks in cdktf.out: no GitHub environment is needed.";
  const lines = [
    `Create these ${environments.length} GitHub environments (Settings → Environments), each with its secrets as`,
    "environment secrets (never repository-wide):",
    "",
  ];
  for (const env of environments) {
    if (env.purpose === "sign") {
      lines.push(
        env.name,
        `  used by:      the sign jobs (deploy.yml) of ${env.stacks.join(", ")}: each sealed plan is signed before it may be applied`,
        `  protection:   deployment branches: ${env.deploymentBranches!.join(", ")} (so pull requests can never sign)`,
        `  signing key:  ${PLAN_SIGNING_KEY} (Ed25519 private key; its public half is .github/plan-keys/signing.pub.pem)`,
        "  credentials:  none",
        "",
      );
      continue;
    }
    const usedBy =
      env.purpose === "plan"
        ? `plans (plan.yml, drift.yml, deploy.yml) of ${env.stacks.join(", ")}`
        : `applies (deploy.yml) of ${env.stacks.join(", ")}`;
    const protection =
      env.purpose === "plan"
        ? "none; every branch (pull requests plan with it)"
        : `${env.requiredReviewers ? "required reviewers; " : ""}deployment branches: ${env.deploymentBranches!.join(", ")}`;
    const credentials = env.purpose === "plan" ? "that can plan, as narrow as planning allows" : "that apply";
    const appSecrets = env.secrets.filter((s) => s.startsWith("TF_VAR_"));
    lines.push(
      env.name,
      `  used by:      ${usedBy}`,
      `  protection:   ${protection}`,
      `  credentials:  ${CREDENTIALS.join(", ")} (${credentials})`,
      ...(env.purpose === "apply" ? [`  plan key:     ${PLAN_PRIVATE_KEY} (private half of .github/plan-keys/${env.environment}.pub.pem)`] : []),
      `  app secrets:  ${env.purpose === "plan" ? "none: plans need no app secret" : appSecrets.length > 0 ? appSecrets.join(", ") : "(none)"}`,
      "",
    );
  }
  lines.push("The workflows read this list from the code (flystack stacks --json): nothing in them names an environment or an app secret.");
  return lines.join("\n");
}

export const setup: Command = {
  name: "setup",
  summary: "Print the GitHub environments and secrets the workflows need for these stacks",
  help: `Usage: flystack setup [STACK…] [--json] [--skip-synth]

Synthesizes every environment (unless --skip-synth) and prints what to create in GitHub (Settings →
Environments) for the workflows to plan, apply and check drift of the stacks in cdktf.out:

  <environment>-plan   credentials that can plan, for plan.yml, drift.yml and deploy.yml's plans;
                       no protection (pull-request branches must reach it)
  <environment>        credentials that apply, for deploy.yml's applies; deployment branch main;
                       required reviewers when the environment is protected (protected: true)

Each holds FLY_API_TOKEN, CLOUDFLARE_API_TOKEN, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY. Only
<environment> also holds FLYSTACK_PLAN_PRIVATE_KEY (opens the sealed plans) and the
TF_VAR_<app>_<NAME> secrets of its stacks: plans need no app secret, so the "-plan" environments,
which pull requests reach, hold none. One more, for every stack:

  plan-signing         deploy.yml's sign jobs; deployment branch main; holds only
                       FLYSTACK_PLAN_SIGNING_KEY, the Ed25519 key each sealed plan is signed with
                       (its public half committed as .github/plan-keys/signing.pub.pem): apply opens
                       only a bundle signed with it (flystack sign, flystack unseal)

Arguments:
  STACK…        Only these stacks; globs work. Default: every stack.
Options:
  --json        Print { environments: [ { name, purpose: "plan"|"apply"|"sign", environment, stacks,
                requiredReviewers, deploymentBranches, secrets } ] }.
  --skip-synth  Use the stacks already in cdktf.out.
  --help        Show this help.

Exit codes: 0 printed; 1 invalid configuration, or no stack matches a STACK argument.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" }, "skip-synth": { kind: "boolean" } });
    if (!options["skip-synth"] && !(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const environments = githubEnvironments(readStackEntries(ctx, positionals));
    ctx.stdout.write(options.json ? `${JSON.stringify({ environments }, null, 2)}\n` : `${renderText(environments)}\n`);
    return EXIT.ok;
  },
};
