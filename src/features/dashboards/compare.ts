/**
 * Which dashboards a change touches, panel by panel: for the pull-request job summary.
 */
import type { Dashboard } from "./model";

export interface DashboardChange {
  /** `production/api`. */
  readonly dashboard: string;
  readonly change: "added" | "removed" | "changed";
  readonly panels: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly string[] };
}

const panelsOf = (d: Dashboard | undefined) => new Map((d?.panels ?? []).filter((p) => p.type !== "row").map((p) => [p.title, JSON.stringify({ ...p, id: 0, gridPos: null })]));

export function compareDashboards(base: ReadonlyMap<string, Dashboard>, head: ReadonlyMap<string, Dashboard>): DashboardChange[] {
  const names = [...new Set([...base.keys(), ...head.keys()])].sort();
  const out: DashboardChange[] = [];
  for (const name of names) {
    const b = base.get(name);
    const h = head.get(name);
    if (b && h && JSON.stringify(b) === JSON.stringify(h)) continue;
    const bp = panelsOf(b);
    const hp = panelsOf(h);
    out.push({
      dashboard: name,
      change: !b ? "added" : !h ? "removed" : "changed",
      panels: {
        added: [...hp.keys()].filter((t) => !bp.has(t)),
        removed: [...bp.keys()].filter((t) => !hp.has(t)),
        changed: [...hp.keys()].filter((t) => bp.has(t) && bp.get(t) !== hp.get(t)),
      },
    });
  }
  return out;
}

export function renderDashboardChanges(changes: readonly DashboardChange[], ref: string): string {
  const lines = ["## Dashboards", ""];
  if (changes.length === 0) {
    lines.push(`No dashboard changes since ${ref}.`);
    return `${lines.join("\n")}\n`;
  }
  lines.push(`${changes.length} dashboard${changes.length === 1 ? "" : "s"} change${changes.length === 1 ? "s" : ""} since ${ref}:`, "");
  for (const c of changes) {
    const parts = [
      c.panels.added.length ? `panels added: ${c.panels.added.join(", ")}` : "",
      c.panels.removed.length ? `panels removed: ${c.panels.removed.join(", ")}` : "",
      c.panels.changed.length ? `panels changed: ${c.panels.changed.join(", ")}` : "",
    ].filter(Boolean);
    lines.push(`- \`${c.dashboard}\`: ${c.change}${parts.length ? ` (${parts.join("; ")})` : ""}`);
  }
  return `${lines.join("\n")}\n`;
}
