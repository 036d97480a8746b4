import { TerraformBackend, type TerraformElement } from "cdktf";
import type { PolicyRule, RuleResult } from "../rule";
import { isObject, show } from "../values";

/** Backends whose service encrypts state at rest and locks it without settings (HCP Terraform). */
const MANAGED = ["remote"];

/**
 * FLY011 · What: a remote state backend does not encrypt and lock state.
 * Why: state holds every resource's attributes; unencrypted it leaks them, unlocked two applies
 * can interleave and corrupt it.
 * S3 (and S3-compatible stores) need encrypt = true and use_lockfile = true; HCP Terraform
 * (`cloud`, `remote`) encrypts and locks as a service; local state is out of scope (an explicit
 * choice of the environment). Any other backend cannot be verified and is a finding.
 * Reads the synthesized `terraform` block, so `use_lockfile`, set with addOverride, is seen.
 */
export const fly011: PolicyRule = {
  id: "FLY011",
  level: "error",
  title: "state encrypted and locked",
  what: "A remote state backend does not encrypt and lock state.",
  why: "State holds every resource's attributes: unencrypted it leaks them, unlocked two applies can corrupt it.",
  appliesTo: (node) => TerraformBackend.isBackend(node),
  check: (node, context) => {
    const own = (node as TerraformElement).toTerraform() as { terraform?: { backend?: Record<string, unknown>; cloud?: unknown } };
    // HCP Terraform's `cloud` block: encrypted and locked by the service.
    if (own.terraform?.cloud !== undefined) return [];
    const synthesized = isObject(context.terraform.backend) ? context.terraform.backend : {};
    const results: RuleResult[] = [];
    for (const name of Object.keys(own.terraform?.backend ?? {})) {
      if (name === "local" || MANAGED.includes(name)) continue;
      const settings = isObject(synthesized[name]) ? synthesized[name] : {};
      if (name === "s3") {
        const missing = (["encrypt", "use_lockfile"] as const).filter((key) => settings[key] !== true);
        if (missing.length > 0) {
          results.push({ message: `backend "s3" has ${missing.map((key) => `${key} = ${show(settings[key])}`).join(" and ")}; set encrypt = true and use_lockfile = true` });
        }
        continue;
      }
      results.push({ message: `backend "${name}" is not one flystack can verify encrypts and locks state; use s3 (encrypt, use_lockfile) or HCP Terraform` });
    }
    return results;
  },
};
