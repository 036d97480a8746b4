/** The audit as Markdown. */
import type { StackAudit } from "./audit";

const cell = (v: unknown): string => (v === undefined ? "" : (typeof v === "string" ? v : JSON.stringify(v)).replace(/\|/g, "\\|").replace(/\n/g, " ").slice(0, 160));

export function renderAuditMarkdown(results: readonly StackAudit[]): string {
  const lines = ["# Fly audit", ""];
  for (const r of results) {
    lines.push(`## ${r.stack}: ${r.status}`, "");
    if (r.status === "error") {
      lines.push(`Error: ${r.error ?? "unknown"}`, "");
      continue;
    }
    if (r.findings.length === 0) {
      lines.push("Fly runs what the stack declares.", "");
      continue;
    }
    lines.push("| severity | app | resource | field | expected | actual |", "| --- | --- | --- | --- | --- | --- |");
    for (const f of r.findings) lines.push(`| ${f.severity} | ${cell(f.app)} | ${cell(f.resource)} | ${cell(f.field)} | ${cell(f.expected)} | ${cell(f.actual)} |`);
    lines.push("");
  }
  return lines.join("\n").trimEnd();
}
