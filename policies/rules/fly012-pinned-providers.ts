import { TerraformProvider } from "cdktf";
import type { PolicyRule } from "../rule";
import { isObject, show } from "../values";

/**
 * FLY012 · What: a provider has no version constraint in terraform.required_providers.
 * Why: `terraform init` then takes the newest release, so a provider upgrade (new defaults,
 * removed attributes) reaches production unreviewed.
 * Reads the synthesized `required_providers`, which includes flystack's pins set by override.
 */
export const fly012: PolicyRule = {
  id: "FLY012",
  level: "error",
  title: "providers pinned",
  what: "A provider has no version constraint in terraform.required_providers.",
  why: "terraform init then installs the newest release, so a provider upgrade reaches production unreviewed.",
  appliesTo: (node) => TerraformProvider.isTerraformProvider(node),
  check: (node, context) => {
    if (!TerraformProvider.isTerraformProvider(node)) return [];
    const name = node.terraformResourceType;
    const required = isObject(context.terraform.required_providers) ? context.terraform.required_providers : {};
    const entry = required[name];
    const version = isObject(entry) ? entry.version : undefined;
    if (typeof version === "string" && version.trim() !== "") return [];
    return [{ message: `provider "${name}" has version ${show(version)} in terraform.required_providers; pin it (e.g. "~> 1.2" or "1.2.3")` }];
  },
};
