/**
 * Facts about a plan that are not part of the `--json` summary contract (./summarize.ts) but
 * that the Markdown report needs: whether planning errored, which Terraform wrote it, and which
 * resources move or are imported (the summary only counts those).
 */
import type { TerraformPlan } from "./plan-json";
import { isImported, isManaged, isMoved } from "./summarize";

export interface MovedResource {
  readonly previous_address: string;
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

/** The import ID is left out on purpose: it comes from configuration and is not needed to review. */
export interface ImportedResource {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

export interface PlanFacts {
  readonly errored: boolean;
  readonly terraform_version: string | null;
  readonly format_version: string;
  readonly moved: readonly MovedResource[];
  readonly imported: readonly ImportedResource[];
}

export function planFacts(plan: TerraformPlan): PlanFacts {
  const managed = plan.resource_changes.filter(isManaged);
  return {
    errored: plan.errored,
    terraform_version: plan.terraform_version ?? null,
    format_version: plan.format_version,
    moved: managed.filter(isMoved).map((change) => ({
      // isMoved has checked previous_address is there.
      previous_address: change.previous_address ?? "",
      address: change.address,
      type: change.type,
      actions: [...change.change.actions],
    })),
    imported: managed.filter(isImported).map((change) => ({
      address: change.address,
      type: change.type,
      actions: [...change.change.actions],
    })),
  };
}
