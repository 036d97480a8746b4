/**
 * The cost report as Markdown, for a pull-request comment or a job summary: with a diff, a headline
 * per environment (`staging: $12.34 → $15.60 /month (+$3.26)`) and a table of the resources whose
 * price changed; then per environment its total, a subtotal per app, every priced resource, and the
 * usage-based charges that have no number. Amounts show as a range `min – max` where they differ:
 * the minimum has every auto-stopped machine stopped all month, the maximum every machine running.
 */
import type { Amounts, CostDiff, EnvironmentCostDiff, ResourceCostDiff } from "./diff";
import { formatDelta, formatMoney, formatRange, roundCents } from "./money";
import type { EnvironmentCost, NotEstimated } from "./types";

function cell(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ");
}

function code(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}

function range(amounts: Amounts | undefined): string {
  return amounts === undefined ? formatMoney(0) : formatRange(amounts.monthly, amounts.monthly_max);
}

function deltaRange(delta: Amounts): string {
  return roundCents(delta.monthly) === roundCents(delta.monthly_max)
    ? formatDelta(delta.monthly_max)
    : `${formatDelta(delta.monthly)} – ${formatDelta(delta.monthly_max)}`;
}

/** `staging: $12.34 → $15.60 /month (+$3.26)`; ranges where minimum and maximum differ. */
export function costHeadline(diff: EnvironmentCostDiff): string {
  const label = diff.change === "added" ? `${diff.name} (new)` : diff.change === "removed" ? `${diff.name} (removed)` : diff.name;
  return `${label}: ${range(diff.base)} → ${range(diff.head)} /month (${deltaRange(diff.delta)})`;
}

function changedResourcesTable(resources: readonly ResourceCostDiff[]): string[] {
  if (resources.length === 0) return ["No resource changed price."];
  return [
    "| resource | app | change | before | after | delta |",
    "| --- | --- | --- | ---: | ---: | ---: |",
    ...resources.map(
      (r) =>
        `| ${code(r.address)} | ${cell(r.app ?? "")} | ${r.change} | ${r.base ? range(r.base) : "–"} | ${r.head ? range(r.head) : "–"} | ${deltaRange(r.delta)} |`,
    ),
  ];
}

function notEstimatedLines(list: readonly NotEstimated[]): string[] {
  if (list.length === 0) return [];
  const groups = new Map<string, string[]>();
  for (const n of list) {
    const key = `${n.charge} (${n.rate})`;
    groups.set(key, [...(groups.get(key) ?? []), n.address]);
  }
  return [
    "Not estimated (usage-based, not in the totals):",
    "",
    ...[...groups.entries()].map(([charge, addresses]) => `- ${cell(charge)}: ${addresses.map(code).join(", ")}`),
  ];
}

function environmentSection(env: EnvironmentCost, diff: EnvironmentCostDiff | undefined): string[] {
  const lines = [`### ${env.name}: ${formatRange(env.monthly, env.monthly_max)} /month`, ""];
  if (diff !== undefined) lines.push(`Changed resources (${deltaRange(diff.delta)} /month):`, "", ...changedResourcesTable(diff.resources), "");
  lines.push(
    "| app | monthly |",
    "| --- | ---: |",
    ...env.apps.map((a) => `| ${cell(a.app)} | ${formatRange(a.monthly, a.monthly_max)} |`),
    `| **total** | **${formatRange(env.monthly, env.monthly_max)}** |`,
    "",
  );
  if (env.blueGreen) {
    const { machines, monthly_max: extra } = env.blueGreen;
    lines.push(
      `During a blue-green deploy, ${machines} more machine${machines === 1 ? "" : "s"} run beside the old set until it is destroyed: while it lasts, ` +
        `the environment costs at the rate of ${formatMoney(env.monthly_max + extra)} /month (+${formatMoney(extra)}), for the deploy's minutes only.`,
      "",
    );
  }
  if (env.items.length > 0) {
    lines.push(
      "| resource | app | monthly | note |",
      "| --- | --- | ---: | --- |",
      ...env.items.map((i) => `| ${code(i.address)} | ${cell(i.app ?? "")} | ${formatRange(i.monthly, i.monthly_max)} | ${cell(i.note ?? "")} |`),
      "",
    );
  }
  const notEstimated = notEstimatedLines(env.notEstimated);
  if (notEstimated.length > 0) lines.push(...notEstimated, "");
  return lines;
}

export function renderCostMarkdown(envs: readonly EnvironmentCost[], diff?: CostDiff): string {
  const lines = ["## Fly.io cost estimate", ""];
  if (diff !== undefined) {
    lines.push(...diff.environments.map((d) => `- ${costHeadline(d)}`), "");
  }
  for (const env of envs) {
    lines.push(...environmentSection(env, diff?.environments.find((d) => d.name === env.name)));
  }
  // Environments that exist only in the base have no section of their own: list what went away.
  for (const removed of diff?.environments.filter((d) => d.change === "removed") ?? []) {
    lines.push(`### ${removed.name}: removed`, "", ...changedResourcesTable(removed.resources), "");
  }
  const sources = [...new Set(envs.map((e) => `${e.prices.source} (${e.prices.date})`))];
  lines.push(
    `Prices: ${sources.join("; ") || "none"}. A month is 30 days. Ranges run from every auto-stopped machine ` +
      "stopped all month to every machine running all month; Fly recommends budgeting for the maximum. " +
      "Totals are added before rounding to cents, so rows may differ from them by a cent.",
  );
  return `${lines.join("\n")}\n`;
}
