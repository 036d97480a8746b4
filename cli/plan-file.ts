/**
 * The saved plan as the only source of truth for `flystack apply`.
 *
 * Terraform applies `<stack>.tfplan` with the configuration snapshot and backend embedded in it,
 * whatever sits beside it (`<stack>.plan.json`, cdktf.out). So everything apply checks comes from
 * `terraform show -json <tfplan>`: the resource changes, the variables the plan needs again, and
 * flystack's stamp.
 *
 * The stamp: the `"//"` metadata of cdk.tf.json is a JSON comment, which Terraform drops, so it is
 * not in the plan. `flystack plan` therefore writes `flystack-stamp.tf.json` into each stack's folder
 * before planning: one input variable, `flystack_stamp`, whose DEFAULT is the stack's name, its
 * environment, whether it is protected and the git commit being planned. Terraform embeds that
 * file in the plan's configuration snapshot (`configuration.root_module.variables.flystack_stamp.default`)
 * and records the value used (`variables.flystack_stamp.value`). A variable, not an output, so the
 * state never changes because of it; a default, so nothing at apply time can override it; and apply
 * refuses a plan whose recorded value differs from the default (TF_VAR_flystack_stamp set at plan time).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { CliContext } from "./command";
import { isObject } from "../src/util/json-object";
import { parsePlanJson, type TerraformPlan } from "../src/features/plan/plan-json";

export const STAMP_FILE = "flystack-stamp.tf.json";
export const STAMP_VARIABLE = "flystack_stamp";

export interface PlanStamp {
  /** The stack the plan was made for (its cdktf.out folder name). */
  readonly stack: string;
  /** The environment, from the stack's flystack metadata; "" for a stack flystack did not make. */
  readonly environment: string;
  readonly protected: boolean;
  /** `git rev-parse HEAD` when planning; "" when the project was not a git checkout. */
  readonly commit: string;
  /** The synthesis the plan was made from (cdktf.out/flystack-synthesis.json), when it had a record. */
  readonly synthesis?: PlanSynthesis;
}

export interface PlanSynthesis {
  /** The synthesis record's id. */
  readonly id: string;
  /** The commit synthesized; "" when the record does not say. */
  readonly commit: string;
  /** sha256 of the stack's cdk.tf.json that was planned. */
  readonly digest: string;
}

/** Writes the stamp into a stack's folder, where Terraform reads every *.tf.json beside cdk.tf.json. */
export function writeStamp(stackDir: string, stamp: PlanStamp): void {
  const json = {
    "//": "Written by flystack plan: recorded in the saved plan, checked by flystack apply. Do not edit.",
    variable: {
      [STAMP_VARIABLE]: {
        description: "flystack's record of what this plan is for (stack, environment, protection, commit); read by flystack apply.",
        default: { stack: stamp.stack, environment: stamp.environment, protected: stamp.protected, commit: stamp.commit, ...(stamp.synthesis ? { synthesis: stamp.synthesis } : {}) },
      },
    },
  };
  fs.writeFileSync(path.join(stackDir, STAMP_FILE), `${JSON.stringify(json, null, 2)}\n`);
}

/** The checked-out commit (`git rev-parse HEAD` in the project), or undefined outside a git checkout. */
export async function currentCommit(ctx: CliContext): Promise<string | undefined> {
  const result = await ctx.runner.run("git", ["rev-parse", "--verify", "HEAD"], { cwd: ctx.cwd, env: ctx.env });
  const sha = result.stdout.trim();
  return result.code === 0 && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined;
}

/** What apply needs from `terraform show -json <tfplan>`. */
export interface SavedPlan {
  readonly plan: TerraformPlan;
  /** undefined when the plan carries no valid stamp (not made by `flystack plan`). */
  readonly stamp?: PlanStamp;
  /** Why the stamp cannot be trusted, when it is there but wrong. */
  readonly stampProblem?: string;
  /** Variables of the plan's own configuration without a default: they must be set again to apply. */
  readonly requiredVariables: readonly string[];
}

function parseStamp(value: unknown): PlanStamp | undefined {
  if (!isObject(value)) return undefined;
  const { stack, environment, protected: isProtected, commit, synthesis } = value;
  if (typeof stack !== "string" || typeof environment !== "string" || typeof isProtected !== "boolean" || typeof commit !== "string") return undefined;
  if (synthesis === undefined || synthesis === null) return { stack, environment, protected: isProtected, commit };
  if (!isObject(synthesis) || typeof synthesis.id !== "string" || typeof synthesis.commit !== "string" || typeof synthesis.digest !== "string") return undefined;
  return { stack, environment, protected: isProtected, commit, synthesis: { id: synthesis.id, commit: synthesis.commit, digest: synthesis.digest } };
}

/** Reads a saved plan's `show -json` output: its changes, its stamp and the variables it needs. */
export function readSavedPlan(showJson: string, label: string): SavedPlan {
  const plan = parsePlanJson(showJson, label);
  const raw: unknown = JSON.parse(showJson);
  const configuration = isObject(raw) && isObject(raw.configuration) ? raw.configuration : {};
  const rootModule = isObject(configuration.root_module) ? configuration.root_module : {};
  const declared = isObject(rootModule.variables) ? rootModule.variables : {};
  const requiredVariables = Object.entries(declared)
    .filter(([name, v]) => name !== STAMP_VARIABLE && (!isObject(v) || !("default" in v)))
    .map(([name]) => name)
    .sort();

  const declaredStamp = declared[STAMP_VARIABLE];
  const stamp = parseStamp(isObject(declaredStamp) ? declaredStamp.default : undefined);
  if (!stamp) return { plan, requiredVariables };
  const values = isObject(raw) && isObject(raw.variables) ? raw.variables : {};
  const used = values[STAMP_VARIABLE];
  const usedStamp = parseStamp(isObject(used) ? used.value : undefined);
  const same = usedStamp && JSON.stringify(usedStamp) === JSON.stringify(stamp);
  return same
    ? { plan, stamp, requiredVariables }
    : { plan, stamp, requiredVariables, stampProblem: `the plan was made with ${STAMP_VARIABLE} overridden (TF_VAR_${STAMP_VARIABLE}?); its stamp cannot be trusted` };
}

export interface PlanExpectation {
  /** The name the plan is being applied under (DIR/<name>.tfplan, the cdktf.out stack). */
  readonly stack: string;
  /** The environment that stack belongs to in the cdktf.out used to apply, when it says. */
  readonly environment?: string;
  /** The checked-out commit; undefined outside a git checkout. */
  readonly commit?: string;
  /** --allow-any-commit */
  readonly allowAnyCommit: boolean;
  /** sha256 of the stack's cdk.tf.json in the cdktf.out used to apply, when there is one. */
  readonly synthesizedDigest?: string;
}

/** Why this saved plan must not be applied under these expectations; empty when it may. */
export function stampProblems(saved: SavedPlan, expected: PlanExpectation): string[] {
  const { stamp } = saved;
  if (!stamp) {
    return [`the saved plan carries no flystack stamp (${STAMP_VARIABLE}): it was not made by "flystack plan" (or by an older flystack); plan again with "flystack plan"`];
  }
  const problems: string[] = [];
  if (saved.stampProblem) problems.push(saved.stampProblem);
  if (stamp.stack !== expected.stack) {
    problems.push(`the saved plan is the plan of stack "${stamp.stack}", not "${expected.stack}": it would change "${stamp.stack}"'s infrastructure (a renamed or mixed-up plan file)`);
  }
  if (expected.environment !== undefined && stamp.environment !== expected.environment) {
    problems.push(`the saved plan is for environment "${stamp.environment || "(none)"}", but stack "${expected.stack}" belongs to "${expected.environment}"`);
  }
  if (!expected.allowAnyCommit) {
    if (stamp.commit && expected.commit && stamp.commit !== expected.commit) {
      problems.push(`the saved plan was made from commit ${stamp.commit.slice(0, 12)}, but ${expected.commit.slice(0, 12)} is checked out: apply the plan of the commit checked out (or check out ${stamp.commit.slice(0, 12)})`);
    } else if (stamp.commit && !expected.commit) {
      problems.push(`the saved plan was made from commit ${stamp.commit.slice(0, 12)}, but this is not a git checkout, so that cannot be checked (--allow-any-commit skips the check)`);
    } else if (!stamp.commit && expected.commit) {
      problems.push(`the saved plan was made outside a git checkout, so it cannot be matched to the commit checked out, ${expected.commit.slice(0, 12)} (--allow-any-commit skips the check)`);
    }
  }
  if (stamp.synthesis && expected.synthesizedDigest !== undefined && stamp.synthesis.digest !== expected.synthesizedDigest) {
    problems.push(
      `cdktf.out/stacks/${expected.stack}/cdk.tf.json is not the synthesis the plan was made from (synthesis ${stamp.synthesis.id.slice(0, 12)}): ` +
        "apply with the cdktf.out of the plan's own run (its sealed bundle), not another synthesis",
    );
  }
  return problems;
}
