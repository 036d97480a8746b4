import * as path from "node:path";
import type { CliContext } from "./command";
import { Terraform } from "../src/features/terraform/terraform";
import { PROJECT_ROOT } from "../src/util/project-root";

/**
 * `--terraform`, else TERRAFORM_BINARY_NAME, else `terraform`. OpenTofu works as `--terraform tofu`.
 * Terraform's provisioners get FLYSTACK_BIN, this checkout's bin/flystack, so a canary gate
 * (constructs/canary-gate.ts) runs the same flystack that applies.
 */
export function terraformFor(ctx: CliContext, flag: string | undefined): Terraform {
  const binary = flag ?? ctx.env.TERRAFORM_BINARY_NAME ?? "terraform";
  return new Terraform({ binary, runner: ctx.runner, env: { ...ctx.env, FLYSTACK_BIN: ctx.env.FLYSTACK_BIN ?? path.join(PROJECT_ROOT, "bin", "flystack") } });
}
