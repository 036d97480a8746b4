import type { TerraformPlan } from "../plan/plan-json";
import { classifyActions } from "../plan/actions";
import { codeSpan } from "../plan/markdown-text";

export interface DriftEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
}

export interface StackDrift {
  readonly stack: string;
  /** `drift`: changed outside Terraform, or code not yet applied, or both. */
  readonly status: "clean" | "drift" | "error";
  /** Changed outside Terraform: from the refresh-only plan's resource_drift. */
  readonly drift: readonly DriftEntry[];
  /** Code not yet applied: the normal plan's changes to resources that did not drift. */
  readonly pending: readonly DriftEntry[];
  /** Changes the normal plan would make to drifted resources, reverting the drift. */
  readonly reverts: readonly DriftEntry[];
  readonly error?: string;
}

function managed(plan: TerraformPlan, key: "resource_drift" | "resource_changes"): DriftEntry[] {
  return (plan[key] ?? [])
    .filter((c) => c.mode !== "data")
    .filter((c) => !["no-op", "read"].includes(classifyActions(c.change.actions)))
    .map((c) => ({ address: c.address, type: c.type, actions: [...c.change.actions] }));
}

/** Splits a stack's two plans into drift (outside Terraform) and pending (code not applied). */
export function stackDrift(stack: string, refreshOnly: TerraformPlan, normal: TerraformPlan): StackDrift {
  const drift = managed(refreshOnly, "resource_drift");
  const drifted = new Set(drift.map((d) => d.address));
  const changes = managed(normal, "resource_changes");
  const pending = changes.filter((c) => !drifted.has(c.address));
  const reverts = changes.filter((c) => drifted.has(c.address));
  return { stack, status: drift.length > 0 || pending.length > 0 ? "drift" : "clean", drift, pending, reverts };
}

export function stackError(stack: string, error: string): StackDrift {
  return { stack, status: "error", drift: [], pending: [], reverts: [], error };
}

function table(entries: readonly DriftEntry[]): string[] {
  return ["| address | type | actions |", "| --- | --- | --- |", ...entries.map((e) => `| ${codeSpan(e.address, true)} | ${codeSpan(e.type, true)} | ${e.actions.join(", ")} |`)];
}

/** The drift report: per stack, changes made outside Terraform apart from code not yet applied. */
export function renderDriftMarkdown(results: readonly StackDrift[]): string {
  const lines = ["# flystack drift", ""];
  for (const r of results) {
    lines.push(`## ${r.stack}: ${r.status === "clean" ? "no drift" : r.status === "error" ? "ERROR (drift unknown)" : "drift"}`, "");
    if (r.status === "error") {
      lines.push("The check failed, so whether this stack drifted is unknown.", "", "```", r.error ?? "", "```", "");
      continue;
    }
    if (r.drift.length > 0) {
      lines.push(`### Changed outside Terraform (${r.drift.length})`, "", ...table(r.drift), "");
      if (r.reverts.length > 0) lines.push(`Applying the code as it is would revert ${r.reverts.length} of them: adopt the change into code, or apply to revert it.`, "");
    }
    if (r.pending.length > 0) lines.push(`### Code not yet applied (${r.pending.length})`, "", ...table(r.pending), "");
    if (r.status === "clean") lines.push("Infrastructure matches the code.", "");
  }
  return lines.join("\n").trimEnd();
}
