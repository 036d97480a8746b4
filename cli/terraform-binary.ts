import type { CliContext } from "./command";
import { Terraform } from "../src/features/terraform/terraform";

/** `--terraform`, else TERRAFORM_BINARY_NAME, else `terraform`. OpenTofu works as `--terraform tofu`. */
export function terraformFor(ctx: CliContext, flag: string | undefined): Terraform {
  const binary = flag ?? ctx.env.TERRAFORM_BINARY_NAME ?? "terraform";
  return new Terraform({ binary, runner: ctx.runner, env: ctx.env });
}
