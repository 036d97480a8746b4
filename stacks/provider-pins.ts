import type { TerraformStack } from "cdktf";
import versions from "../providers/versions.json";

/** Terraform 1.11 is the first release with write-only attributes (`fly_secret.value_wo`). */
export const REQUIRED_TERRAFORM = ">= 1.11.0";

/**
 * Pins every provider in `required_providers` from `providers/versions.json`, the single place
 * versions live (the mirror script builds the same ones). The prebuilt bindings would otherwise
 * write their own looser constraints (`~> 5.0`). `only` pins a subset, for stacks without Fly
 * resources (Terraform installs every provider named in required_providers).
 */
export function pinProviders(stack: TerraformStack, only?: readonly ("fly" | "cloudflare" | "null")[]): void {
  stack.addOverride("terraform.required_version", REQUIRED_TERRAFORM);
  for (const [name, pin] of Object.entries(versions)) {
    if (name.startsWith("$") || (only && !only.includes(name as "fly" | "cloudflare" | "null"))) continue;
    const { source, constraint } = pin as { source: string; constraint: string };
    stack.addOverride(`terraform.required_providers.${name}`, { source, version: constraint });
  }
}
