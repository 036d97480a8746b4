import type { TerraformPlan } from "../plan/plan-json";
import { classifyActions } from "../plan/actions";
import { codeSpan } from "../plan/markdown-text";
import type { AcceptedDrift } from "../../config/stack-metadata";
import type { StackAudit } from "../audit/audit";
import type { Finding } from "../audit/types";
import { classifyDrift, fieldCovers, isExpired } from "./classify";

export interface DriftEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** Refresh-only entries: the changed attribute paths that make this drift (empty when the resource is gone). */
  readonly attributes?: readonly string[];
  /** Refresh-only entries: acceptances that would cover this drift but expired. */
  readonly expired?: readonly AcceptedDrift[];
}

/** A refresh-only entry that is not drift: only attributes Fly changes by design changed. */
export interface NoiseEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  /** The changed attributes, each one Fly manages (src/features/drift/fly-managed.ts). */
  readonly attributes: readonly string[];
}

/** A refresh-only entry the environment's `acceptedDrift` covers (with any Fly-managed changes beside it). */
export interface AcceptedEntry {
  readonly address: string;
  readonly type: string;
  readonly actions: readonly string[];
  readonly attributes: readonly string[];
  readonly acceptedBy: readonly AcceptedDrift[];
}

export interface StackDrift {
  readonly stack: string;
  /** `drift`: changed outside Terraform, or code not yet applied, or both. */
  readonly status: "clean" | "drift" | "error";
  /** Changed outside Terraform: from the refresh-only plan's resource_drift, less noise and accepted drift. */
  readonly drift: readonly DriftEntry[];
  /** Code not yet applied: the normal plan's changes to resources that did not drift. */
  readonly pending: readonly DriftEntry[];
  /** Changes the normal plan would make to drifted resources, reverting the drift. */
  readonly reverts: readonly DriftEntry[];
  /** Changed outside Terraform only in attributes Fly changes by design: not drift. */
  readonly noise: readonly NoiseEntry[];
  /** Drift the environment accepts (`acceptedDrift`, not yet expired): not drift. */
  readonly accepted: readonly AcceptedEntry[];
  /** What Fly's API shows against the synthesized stack (src/features/audit): Terraform's refresh sees none of it. */
  readonly audit?: DriftAudit;
  readonly error?: string;
}

/** The audit's part of a drift result. `skipped`: not run (why in `reason`), not an error. */
export interface DriftAudit {
  readonly status: "clean" | "drift" | "error" | "skipped";
  /** Findings not accepted by the environment. */
  readonly findings: readonly Finding[];
  /** Findings the environment's `acceptedDrift` covers (resource = address, field covers the finding's field). */
  readonly accepted?: readonly (Finding & { readonly acceptedBy: readonly AcceptedDrift[] })[];
  readonly reason?: string;
  readonly error?: string;
}

export interface DriftOptions {
  /** The environment's accepted drifts (from the stack's flystack metadata). @default none */
  readonly acceptedDrift?: readonly AcceptedDrift[];
  /** Today, for the expiry of accepted drifts. The CLI passes `new Date()`. */
  readonly now: Date;
}

function managed(plan: TerraformPlan, key: "resource_drift" | "resource_changes") {
  return (plan[key] ?? []).filter((c) => c.mode !== "data").filter((c) => !["no-op", "read"].includes(classifyActions(c.change.actions)));
}

/** Splits a stack's two plans into drift (outside Terraform), noise, accepted drift and pending (code not applied). */
export function stackDrift(stack: string, refreshOnly: TerraformPlan, normal: TerraformPlan, options: DriftOptions): StackDrift {
  const drift: DriftEntry[] = [];
  const noise: NoiseEntry[] = [];
  const accepted: AcceptedEntry[] = [];
  for (const change of managed(refreshOnly, "resource_drift")) {
    const c = classifyDrift(change, options.acceptedDrift ?? [], options.now);
    const base = { address: c.address, type: c.type, actions: c.actions };
    if (c.kind === "noise") noise.push({ ...base, attributes: c.flyManaged });
    else if (c.kind === "accepted") accepted.push({ ...base, attributes: c.attributes, acceptedBy: c.accepted });
    else drift.push({ ...base, attributes: c.unexplained, ...(c.expired.length > 0 ? { expired: c.expired } : {}) });
  }
  const drifted = new Set(drift.map((d) => d.address));
  const changes = managed(normal, "resource_changes").map((c) => ({ address: c.address, type: c.type, actions: [...c.change.actions] }));
  const pending = changes.filter((c) => !drifted.has(c.address));
  const reverts = changes.filter((c) => drifted.has(c.address));
  return { stack, status: drift.length > 0 || pending.length > 0 ? "drift" : "clean", drift, pending, reverts, noise, accepted };
}

/** The audit's part: accepted drifts (still holding) take the findings they cover out of the drift. */
export function driftAudit(audit: StackAudit, acceptedDrift: readonly AcceptedDrift[], now: Date): DriftAudit {
  if (audit.status === "error") return { status: "error", findings: [], error: audit.error };
  const findings: Finding[] = [];
  const accepted: (Finding & { acceptedBy: AcceptedDrift[] })[] = [];
  for (const f of audit.findings) {
    const by = acceptedDrift.filter((a) => !isExpired(a, now) && a.address === f.resource && (a.field === undefined || fieldCovers(a.field, f.field)));
    if (by.length > 0) accepted.push({ ...f, acceptedBy: by });
    else findings.push(f);
  }
  return { status: findings.some((f) => f.severity === "drift") ? "drift" : "clean", findings, ...(accepted.length > 0 ? { accepted } : {}) };
}

/** The Terraform parts with the audit's: an error in either is an error, drift in either is drift. */
export function withAudit(result: StackDrift, audit: DriftAudit): StackDrift {
  const status = result.status === "error" || audit.status === "error" ? "error" : result.status === "drift" || audit.status === "drift" ? "drift" : "clean";
  return { ...result, status, audit };
}

export function stackError(stack: string, error: string): StackDrift {
  return { stack, status: "error", drift: [], pending: [], reverts: [], noise: [], accepted: [], error };
}

const paths = (attributes: readonly string[] | undefined) => (attributes && attributes.length > 0 ? attributes.map((a) => codeSpan(a, true)).join(", ") : "—");

function table(entries: readonly DriftEntry[]): string[] {
  return ["| address | type | actions |", "| --- | --- | --- |", ...entries.map((e) => `| ${codeSpan(e.address, true)} | ${codeSpan(e.type, true)} | ${e.actions.join(", ")} |`)];
}

function driftTable(entries: readonly DriftEntry[]): string[] {
  return [
    "| address | actions | changed | note |",
    "| --- | --- | --- | --- |",
    ...entries.map((e) => {
      const note = (e.expired ?? []).map((a) => `acceptance expired ${codeSpan(a.expires, true)} (${codeSpan(a.reason, true)})`).join("; ");
      return `| ${codeSpan(e.address, true)} | ${e.actions.join(", ")} | ${e.actions.includes("delete") && (e.attributes ?? []).every((a) => a.startsWith("(")) ? "resource gone" : paths(e.attributes)} | ${note} |`;
    }),
  ];
}

/** The drift report: per stack, changes made outside Terraform apart from code not yet applied. */
export function renderDriftMarkdown(results: readonly StackDrift[]): string {
  const lines = ["# flystack drift", ""];
  for (const r of results) {
    lines.push(`## ${r.stack}: ${r.status === "clean" ? "no drift" : r.status === "error" ? "ERROR (drift unknown)" : "drift"}`, "");
    if (r.error !== undefined) {
      lines.push("The check failed, so whether this stack drifted is unknown.", "", "```", r.error, "```", "");
      lines.push(...auditSection(r.audit));
      continue;
    }
    if (r.drift.length > 0) {
      lines.push(`### Changed outside Terraform (${r.drift.length})`, "", ...driftTable(r.drift), "");
      if (r.reverts.length > 0) lines.push(`Applying the code as it is would revert ${r.reverts.length} of them: adopt the change into code, or apply to revert it.`, "");
    }
    if (r.pending.length > 0) lines.push(`### Code not yet applied (${r.pending.length})`, "", ...table(r.pending), "");
    if (r.accepted.length > 0) {
      lines.push(`### Accepted drift (${r.accepted.length})`, "", "Changed outside Terraform, accepted by the environment's `acceptedDrift`: not drift until the entry expires.", "");
      lines.push("| address | changed | reason | expires |", "| --- | --- | --- | --- |");
      for (const a of r.accepted) {
        lines.push(`| ${codeSpan(a.address, true)} | ${paths(a.attributes)} | ${a.acceptedBy.map((b) => codeSpan(b.reason, true)).join("; ")} | ${a.acceptedBy.map((b) => b.expires).join("; ")} |`);
      }
      lines.push("");
    }
    if (r.noise.length > 0) {
      lines.push(`### Fly-managed changes (${r.noise.length})`, "", "Attributes Fly changes by design (autostop, restarts, certificate renewals, volume attachment): not drift.", "");
      lines.push("| address | changed |", "| --- | --- |", ...r.noise.map((n) => `| ${codeSpan(n.address, true)} | ${paths(n.attributes)} |`), "");
    }
    lines.push(...auditSection(r.audit));
    if (r.status === "clean") lines.push("Infrastructure matches the code.", "");
  }
  return lines.join("\n").trimEnd();
}

const cell = (v: unknown): string => (v === undefined ? "" : codeSpan((typeof v === "string" ? v : JSON.stringify(v)).slice(0, 160), true));

/** The audit's section of a stack: findings (app, resource, field), accepted findings, or why it did not run. */
function auditSection(audit: DriftAudit | undefined): string[] {
  if (!audit) return [];
  if (audit.status === "skipped") return [`### Fly audit: skipped`, "", `Not run: ${audit.reason ?? "unknown"}.`, ""];
  if (audit.status === "error") return [`### Fly audit: ERROR`, "", "The audit failed, so what Fly's API shows is unknown.", "", "```", audit.error ?? "", "```", ""];
  const lines: string[] = [];
  if (audit.findings.length > 0) {
    lines.push(`### Fly audit: ${audit.findings.length} finding${audit.findings.length === 1 ? "" : "s"}`, "", "What Fly's API shows against the code (Terraform's refresh does not see these).", "");
    lines.push("| severity | app | resource | field | expected | actual |", "| --- | --- | --- | --- | --- | --- |");
    for (const f of audit.findings) lines.push(`| ${f.severity} | ${cell(f.app)} | ${cell(f.resource)} | ${cell(f.field)} | ${cell(f.expected)} | ${cell(f.actual)} |`);
    lines.push("");
  } else lines.push("### Fly audit: clean", "", "Fly runs what the stack declares.", "");
  if (audit.accepted && audit.accepted.length > 0) {
    lines.push(`### Accepted audit findings (${audit.accepted.length})`, "", "| app | resource | field | actual | reason | expires |", "| --- | --- | --- | --- | --- | --- |");
    for (const a of audit.accepted) lines.push(`| ${cell(a.app)} | ${cell(a.resource)} | ${cell(a.field)} | ${cell(a.actual)} | ${a.acceptedBy.map((b) => codeSpan(b.reason, true)).join("; ")} | ${a.acceptedBy.map((b) => b.expires).join("; ")} |`);
    lines.push("");
  }
  return lines;
}
