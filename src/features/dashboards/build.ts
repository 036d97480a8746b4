/**
 * One Grafana dashboard per app, with the four golden signals (latency P50/P90/P99, traffic by
 * status, 5xx and 4xx error rates, saturation against the app's own limits) and each SLO's error
 * budget; and one overview per environment. Built from the same configuration the stacks are:
 * the app's Fly name, its groups' guest sizes (memory and vCPU lines), their services' concurrency
 * limits, their volumes, their metrics endpoints, and the objectives (budget left over 30 days, burn
 * rates over the alerts' windows, links to the runbook's alert sections).
 */
import { createHash } from "node:crypto";
import type { AppConfig, EnvironmentConfig, SloConfig } from "../../config/types";
import { deployedApps, DEFAULT_RUNBOOK_URL, FLY_DATASOURCE_UID } from "../../config/monitoring";
import { availabilityBadRatio, latencyBadRatio, type BadRatio } from "../alerts/slo-rules";
import { BURN_RATE_WINDOWS, errorBudget } from "../alerts/burn-rate";
import { promNumber } from "../alerts/types";
import * as q from "./queries";
import { DATASOURCE, dashboardsLink, datasourceVariable, pageLink, SCHEMA_VERSION, type Dashboard, type Panel, type Target } from "./model";

export interface DashboardFile {
  readonly environment: string;
  /** The app key, or `overview`. */
  readonly name: string;
  readonly dashboard: Dashboard;
}

const uid = (...parts: string[]) => `flystack-${createHash("sha256").update(parts.join("/")).digest("hex").slice(0, 16)}`;

class Layout {
  private id = 0;
  private y = 0;
  private x = 0;
  private rowHeight = 0;
  readonly panels: Panel[] = [];

  row(title: string): void {
    this.newLine();
    this.panels.push({ id: ++this.id, type: "row", title, collapsed: false, gridPos: { x: 0, y: this.y, w: 24, h: 1 }, panels: [] });
    this.y += 1;
  }

  add(panel: Omit<Panel, "id" | "gridPos">, w = 12, h = 8): void {
    if (this.x + w > 24) this.newLine();
    this.panels.push({ ...panel, id: ++this.id, gridPos: { x: this.x, y: this.y, w, h } });
    this.x += w;
    this.rowHeight = Math.max(this.rowHeight, h);
  }

  private newLine(): void {
    if (this.x > 0) this.y += this.rowHeight;
    this.x = 0;
    this.rowHeight = 0;
  }
}

const REF = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
function targets(list: readonly { expr: string; legend: string; instant?: boolean }[]): Target[] {
  return list.map((t, i) => ({ refId: REF[i] ?? `Q${i}`, expr: t.expr, legendFormat: t.legend, datasource: DATASOURCE, ...(t.instant ? { instant: true, range: false } : {}) }));
}

function timeseries(title: string, description: string, unit: string, list: readonly { expr: string; legend: string }[], links?: Panel["links"]): Omit<Panel, "id" | "gridPos"> {
  return {
    type: "timeseries",
    title,
    description,
    datasource: DATASOURCE,
    targets: targets(list),
    fieldConfig: { defaults: { unit }, overrides: [] },
    options: { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "none" } },
    ...(links ? { links } : {}),
  };
}

function stat(title: string, description: string, unit: string, expr: string, thresholds?: readonly { value: number | null; color: string }[], links?: Panel["links"]): Omit<Panel, "id" | "gridPos"> {
  return {
    type: "stat",
    title,
    description,
    datasource: DATASOURCE,
    targets: targets([{ expr, legend: title, instant: true }]),
    fieldConfig: { defaults: { unit, ...(thresholds ? { thresholds: { mode: "absolute", steps: thresholds } } : {}) }, overrides: [] },
    options: { reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false }, colorMode: "value", graphMode: "none", textMode: "auto", orientation: "auto", justifyMode: "auto" },
    ...(links ? { links } : {}),
  };
}

/** The objectives of an app (one service per app may declare `slo`). */
function sloOf(app: AppConfig): SloConfig | undefined {
  return Object.values(app.groups).flatMap((g) => (g.services ?? []).flatMap((s) => (s.slo ? [s.slo] : [])))[0];
}

function objectives(app: AppConfig): { kind: "Availability" | "Latency"; label: string; percent: number; bad: BadRatio }[] {
  const slo = sloOf(app);
  if (!slo) return [];
  return [
    ...(slo.availability === undefined ? [] : [{ kind: "Availability" as const, label: `availability ${slo.availability}%`, percent: slo.availability, bad: availabilityBadRatio(app.name) }]),
    ...(slo.latencyMs === undefined ? [] : [{ kind: "Latency" as const, label: `latency: ${slo.latencyMs.p}% under ${slo.latencyMs.under} ms`, percent: slo.latencyMs.p, bad: latencyBadRatio(app.name, slo.latencyMs) }]),
  ];
}

/** The budget left over 30 days, as a fraction: 1 untouched, 0 spent, below 0 overspent. */
export function budgetLeftQuery(bad: BadRatio, percent: number): string {
  return `1 - (${bad("30d")}) / ${promNumber(errorBudget(percent))}`;
}

export function burnRateQuery(bad: BadRatio, percent: number, window: string): string {
  return `(${bad(window)}) / ${promNumber(errorBudget(percent))}`;
}

export function appDashboard(env: EnvironmentConfig, key: string, app: AppConfig): Dashboard {
  const runbook = env.monitoring?.runbookUrl ?? DEFAULT_RUNBOOK_URL;
  const layout = new Layout();
  const name = app.name;
  const groups = Object.entries(app.groups);

  layout.row("Golden signals: latency, traffic, errors");
  layout.add(timeseries("Latency", "Response time of every HTTP response Fly's proxy returned for the app (fly_edge_http_response_time_seconds).", "s", [
    { expr: q.latencyQuantile(name, 0.5), legend: "p50" },
    { expr: q.latencyQuantile(name, 0.9), legend: "p90" },
    { expr: q.latencyQuantile(name, 0.99), legend: "p99" },
  ]), 8);
  layout.add(timeseries("Traffic by status", "Requests a second by HTTP status (fly_edge_http_responses_count).", "reqps", [{ expr: q.trafficByStatus(name), legend: "{{status}}" }]), 8);
  layout.add(timeseries("Errors", "Share of responses with a 5xx and with a 4xx status.", "percentunit", [
    { expr: q.statusRatio(name, "5"), legend: "5xx" },
    { expr: q.statusRatio(name, "4"), legend: "4xx" },
  ]), 8);

  layout.row("Saturation: against the app's own limits");
  layout.add(timeseries("CPU", "vCPUs busy per machine (fly_instance_cpu), against each group's vCPUs.", "none", [
    { expr: q.cpuBusy(name), legend: "{{instance}}" },
    ...groups.map(([group, g]) => ({ expr: q.constant(g.guest.cpus), legend: `${group}: ${g.guest.cpus} vCPU${g.guest.cpus === 1 ? "" : "s"}` })),
  ]), 12);
  layout.add(timeseries("Memory", "Memory in use per machine (fly_instance_memory_mem_total − mem_available), against each group's guest memory.", "bytes", [
    { expr: q.memoryUsed(name), legend: "{{instance}}" },
    ...groups.map(([group, g]) => ({ expr: q.constant(g.guest.memoryMb * 1024 * 1024), legend: `${group}: ${g.guest.memoryMb} MB` })),
  ]), 12);
  layout.add(timeseries("Load (1 min)", "Load average per machine (fly_instance_load_average), against each group's vCPUs.", "none", [
    { expr: q.loadAverage(name), legend: "{{instance}}" },
    ...groups.map(([group, g]) => ({ expr: q.constant(g.guest.cpus), legend: `${group}: ${g.guest.cpus} vCPU${g.guest.cpus === 1 ? "" : "s"}` })),
  ]), 12);
  const limits = groups.flatMap(([group, g]) =>
    (g.services ?? []).flatMap((s) =>
      s.concurrency
        ? [
            { expr: q.constant(s.concurrency.softLimit ?? s.concurrency.hardLimit ?? 0), legend: `${group}:${s.internalPort} soft limit (${s.concurrency.type ?? "connections"})` },
            { expr: q.constant(s.concurrency.hardLimit ?? s.concurrency.softLimit ?? 0), legend: `${group}:${s.internalPort} hard limit (${s.concurrency.type ?? "connections"})` },
          ]
        : [],
    ),
  );
  layout.add(timeseries("Concurrency", "Requests or connections in flight per machine (fly_app_concurrency), against each service's soft and hard limits.", "none", [
    { expr: q.concurrency(name), legend: "{{instance}}" },
    ...limits,
  ]), 12);
  const volumes = groups.filter(([, g]) => g.volume);
  if (volumes.length > 0) {
    layout.add(timeseries("Volume usage", `Used share of each volume (fly_volume_used_pct; ${volumes.map(([group, g]) => `${group}: ${g.volume!.sizeGb} GB`).join(", ")}), against the 80% the VolumeUsageHigh alert fires at.`, "percent", [
      { expr: q.volumeUsed(name), legend: "{{id}}" },
      { expr: q.constant(80), legend: "VolumeUsageHigh (80%)" },
    ], [pageLink("Runbook: VolumeUsageHigh", `${runbook}#volumeusagehigh`)]), 12);
  }
  const metrics = groups.filter(([, g]) => g.metrics);
  if (metrics.length > 0) {
    layout.add(timeseries("The app's own metrics", `Series per metric name from the app's metrics endpoint (${metrics.map(([group, g]) => `${group}: :${g.metrics!.port}${g.metrics!.path ?? "/metrics"}`).join(", ")}), scraped by Fly.`, "none", [
      { expr: q.ownSeries(name), legend: "{{__name__}}" },
    ]), 12);
  }

  const slos = objectives(app);
  if (slos.length > 0) {
    layout.row("Service level objectives");
    for (const o of slos) {
      const links = BURN_RATE_WINDOWS.map((w) => pageLink(`Runbook: SLO${o.kind}${w.name}`, `${runbook}#slo${o.kind.toLowerCase()}${w.name.toLowerCase()}`));
      layout.add(stat(`${o.label}: error budget left (30 days)`, "1 − (bad share over 30 days) / (1 − objective): 100% untouched, 0% spent. Deploys freeze at 0 (flystack budget).", "percentunit", budgetLeftQuery(o.bad, o.percent), [
        { value: null, color: "red" },
        { value: 0, color: "orange" },
        { value: 0.25, color: "green" },
      ], links), 8);
      layout.add(timeseries(`${o.label}: burn rate`, "How fast the error budget burns (1 = exactly spent in 30 days), over the alerts' long windows.", "none", [
        ...BURN_RATE_WINDOWS.map((w) => ({ expr: burnRateQuery(o.bad, o.percent, w.long), legend: `${w.long} (alerts at ${w.burnRate}×)` })),
      ], links), 16);
    }
  }

  return {
    uid: uid(env.name, key),
    title: `${env.name} / ${key} (${name})`,
    description: `The golden signals and SLOs of ${name} in ${env.name}. Generated by flystack from environments/${env.name}.ts; edit that file, not this dashboard.`,
    tags: ["flystack", env.name, key],
    timezone: "utc",
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    templating: { list: [datasourceVariable(env.monitoring?.grafana ? FLY_DATASOURCE_UID : undefined)] },
    annotations: { list: [] },
    links: [dashboardsLink(`${env.name} dashboards`, ["flystack", env.name])],
    panels: layout.panels,
  };
}

export function overviewDashboard(env: EnvironmentConfig): Dashboard {
  const layout = new Layout();
  for (const [key, app] of Object.entries(env.apps)) {
    layout.row(`${key} (${app.name})`);
    const slos = objectives(app);
    const w = slos.length > 0 ? 6 : 8;
    layout.add(stat("Requests", "Requests a second over 5 minutes.", "reqps", q.requestRate(app.name)), w, 4);
    layout.add(stat("5xx", "Share of 5xx responses over 5 minutes.", "percentunit", q.statusRatio(app.name, "5")), w, 4);
    layout.add(stat("p99 latency", "99th percentile response time over 5 minutes.", "s", q.latencyQuantile(app.name, 0.99)), w, 4);
    if (slos.length > 0) {
      const o = slos[0];
      layout.add(stat(`Budget left (${o.label})`, "Error budget left over 30 days.", "percentunit", budgetLeftQuery(o.bad, o.percent), [
        { value: null, color: "red" },
        { value: 0, color: "orange" },
        { value: 0.25, color: "green" },
      ]), w, 4);
    }
  }
  return {
    uid: uid(env.name, "overview"),
    title: `${env.name} overview`,
    description: `Every app of ${env.name}: traffic, errors, latency and error budgets. Generated by flystack from environments/${env.name}.ts.`,
    tags: ["flystack", env.name, "overview"],
    timezone: "utc",
    editable: false,
    graphTooltip: 1,
    schemaVersion: SCHEMA_VERSION,
    version: 1,
    refresh: "1m",
    time: { from: "now-6h", to: "now" },
    templating: { list: [datasourceVariable(env.monitoring?.grafana ? FLY_DATASOURCE_UID : undefined)] },
    annotations: { list: [] },
    links: [dashboardsLink(`${env.name} dashboards`, ["flystack", env.name])],
    panels: layout.panels,
  };
}

/** Every dashboard of an environment: one per app (the monitoring app's too), then the overview. */
export function environmentDashboards(env: EnvironmentConfig): DashboardFile[] {
  return [
    ...Object.entries(deployedApps(env)).map(([key, app]) => ({ environment: env.name, name: key, dashboard: appDashboard(env, key, app) })),
    { environment: env.name, name: "overview", dashboard: overviewDashboard(env) },
  ];
}

/** A dashboard file's bytes: what the command writes and the Grafana machine is given. */
export function dashboardJson(dashboard: Dashboard): string {
  return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/** Every PromQL query of a dashboard, with the panel it belongs to. */
export function dashboardQueries(dashboard: Dashboard): { panel: string; expr: string }[] {
  return dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr })));
}
