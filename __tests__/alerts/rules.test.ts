/**
 * The alerting rules flystack derives from an environment (src/features/alerts/): which alerts each app
 * gets, their thresholds, labels and runbook links, and Alertmanager's routes. promtool.test.ts
 * proves the rules fire (and stay silent) on synthetic series; this file pins what is generated.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { alertRules, alertmanagerConfig, monitoringFiles, type AlertRule } from "../../src/features/alerts";
import { BURN_RATE_WINDOWS, errorBudget } from "../../src/features/alerts/burn-rate";
import { alwaysRunning } from "../../src/features/alerts/platform-rules";
import { receiverSecretFile } from "../../src/config/monitoring";
import { latencyBucketLabel } from "../../src/features/alerts/slo-rules";
import type { EnvironmentConfig, MonitoringConfig } from "../../src/config/types";
import { validEnvironment, validGroup, validService, withWorkerApp, type MutableEnvironment } from "../config/fixtures";

const RUNBOOK = fs.readFileSync(path.join(__dirname, "../../docs/runbook.md"), "utf8");

function environment(edit: (env: MutableEnvironment) => void = () => undefined): EnvironmentConfig {
  const env = validEnvironment("staging");
  edit(env);
  return env as EnvironmentConfig;
}

const withSlo = (env: MutableEnvironment) => {
  env.apps.api.groups.web.services = [{ ...validService(), slo: { availability: 99.9, latencyMs: { p: 99, under: 250 } } }];
};
const names = (rules: readonly AlertRule[]) => rules.map((r) => r.alert);

describe("alertRules", () => {
  test("an environment without objectives gets only the platform alerts", () => {
    const file = alertRules(environment(withWorkerApp));
    expect(file.groups.map((g) => g.name)).toEqual(["staging/api/platform", "staging/worker/platform"]);
    expect(names(file.groups[0].rules)).toEqual(["MachinesDown", "MachineRestartLoop", "MemoryNearLimit"]);
    expect(file.groups.every((g) => g.interval === "1m")).toBe(true);
  });

  test("a service's slo adds the burn-rate alerts of each objective and the latency guard", () => {
    const file = alertRules(environment(withSlo));
    expect(file.groups.map((g) => g.name)).toEqual(["staging/api/slo", "staging/api/platform"]);
    expect(names(file.groups[0].rules)).toEqual([
      "SLOAvailabilityBurnFast",
      "SLOAvailabilityBurnSlow",
      "SLOAvailabilityBudgetBurn",
      "SLOLatencyBurnFast",
      "SLOLatencyBurnSlow",
      "SLOLatencyBudgetBurn",
      "SLOLatencyUnmeasurable",
    ]);
  });

  test("burn-rate thresholds are the SRE workbook's: 14.4x over 1h/5m and 6x over 6h/30m page, 1x over 3d/6h is a ticket", () => {
    expect(BURN_RATE_WINDOWS.map((w) => [w.long, w.short, w.burnRate, w.severity])).toEqual([
      ["1h", "5m", 14.4, "page"],
      ["6h", "30m", 6, "page"],
      ["3d", "6h", 1, "ticket"],
    ]);
    const rules = alertRules(environment(withSlo)).groups[0].rules;
    const availability = rules.filter((r) => r.labels.slo === "availability");
    expect(availability.map((r) => [r.labels.severity, r.labels.window])).toEqual([
      ["page", "1h/5m"],
      ["page", "6h/30m"],
      ["ticket", "3d/6h"],
    ]);
    // 99.9% leaves 0.001 of requests; the thresholds are written without floating-point noise.
    expect(availability[0].expr).toContain(">= 0.0144");
    expect(availability[1].expr).toContain(">= 0.006");
    expect(availability[2].expr).toContain(">= 0.001");
    expect(availability[0].expr).toContain('fly_edge_http_responses_count{app="acme-api-staging",status=~"5.."}[1h]');
    expect(availability[0].expr).toContain('fly_edge_http_responses_count{app="acme-api-staging"}[5m]');
    const latency = rules.filter((r) => r.labels.slo === "latency" && r.labels.window);
    expect(latency[0].expr).toContain('fly_edge_http_response_time_seconds_bucket{app="acme-api-staging",le="0.25"}[1h]');
    expect(latency[0].expr).toContain(">= 0.144");
  });

  test("error budgets and bucket labels", () => {
    expect(errorBudget(99.9)).toBe(0.001);
    expect(errorBudget(99.95)).toBe(0.0005);
    expect(errorBudget(99)).toBe(0.01);
    expect(latencyBucketLabel(500)).toBe("0.5");
    expect(latencyBucketLabel(1000)).toBe("1");
    expect(latencyBucketLabel(2500)).toBe("2.5");
    expect(latencyBucketLabel(100)).toBe("0.1");
  });

  test("MachinesDown expects, per region, the machines that never stop", () => {
    const env = environment((e) => {
      e.apps.api.groups.web = { ...validGroup(), regions: ["iad", "lhr"], count: 3, services: [{ ...validService(), autostop: "stop", minMachinesRunning: 2 }] };
      e.apps.api.groups.jobs = { ...validGroup(), regions: ["iad"], count: 2 };
      e.apps.api.groups.once = { ...validGroup(), regions: ["iad"], restart: { policy: "no" } };
    });
    const down = alertRules(env).groups[0].rules.filter((r) => r.alert === "MachinesDown");
    // iad: web's first 2 (kept on) + jobs' 2; lhr: web may stop them all; "once" may exit for good.
    expect(down.map((r) => [r.labels.region, r.expr])).toEqual([["iad", '(count(fly_instance_up{app="acme-api-staging",region="iad"}) or vector(0)) < 4']]);
    expect(down[0].annotations.description).toContain("groups web (2), jobs (2)");
    expect([...alwaysRunning(env.apps.api.groups.web)]).toEqual([["iad", 2]]);
    expect([...alwaysRunning({ ...validGroup(), count: 2, regions: ["iad", "fra"] })]).toEqual([["iad", 2], ["fra", 2]]);
  });

  test("an app with volumes gets VolumeUsageHigh", () => {
    const env = environment((e) => void (e.apps.api.groups.web.volume = { name: "data", path: "/data", sizeGb: 1 }));
    expect(names(alertRules(env).groups[0].rules)).toContain("VolumeUsageHigh");
  });

  test("the monitoring app is watched too", () => {
    const env = environment((e) => void (e.monitoring = monitoring()));
    expect(alertRules(env).groups.map((g) => g.name)).toEqual(["staging/api/platform", "staging/monitoring/platform"]);
    const down = alertRules(env).groups[1].rules.filter((r) => r.alert === "MachinesDown");
    expect(down.map((r) => r.expr)).toEqual(['(count(fly_instance_up{app="acme-monitoring-staging",region="ams"}) or vector(0)) < 2']);
  });

  test("every alert has a severity, the environment and app labels, a summary, a description and a runbook link", () => {
    const env = environment((e) => {
      withSlo(e);
      e.apps.api.groups.web.volume = { name: "data", path: "/data", sizeGb: 1 };
      e.monitoring = { ...monitoring(), runbookUrl: "https://github.com/acme/infra/blob/main/docs/runbook.md" };
    });
    const rules = alertRules(env).groups.flatMap((g) => g.rules);
    for (const rule of rules) {
      expect(["page", "ticket"]).toContain(rule.labels.severity);
      expect(rule.labels.environment).toBe("staging");
      expect(rule.labels.app).toMatch(/^acme-(api|monitoring)-staging$/);
      expect(rule.annotations.summary.length).toBeGreaterThan(10);
      expect(rule.annotations.description.length).toBeGreaterThan(10);
      expect(rule.annotations.runbook_url).toBe(`https://github.com/acme/infra/blob/main/docs/runbook.md#${rule.alert.toLowerCase()}`);
    }
  });

  test("every alert flystack can generate has its section in docs/runbook.md (the runbook link's anchor)", () => {
    const env = environment((e) => {
      withSlo(e);
      e.apps.api.groups.web.volume = { name: "data", path: "/data", sizeGb: 1 };
    });
    const alerts = new Set(alertRules(env).groups.flatMap((g) => names(g.rules)));
    expect(alerts.size).toBe(11);
    const headings = new Set([...RUNBOOK.matchAll(/^#{2,4} (\S+)$/gm)].map((m) => m[1].toLowerCase()));
    for (const alert of alerts) expect({ alert, inRunbook: headings.has(alert.toLowerCase()) }).toEqual({ alert, inRunbook: true });
  });

  test("an app name is written as a PromQL string, quotes and backslashes escaped", () => {
    const env = environment();
    const rule = alertRules({ ...env, apps: { api: { ...env.apps.api, name: 'odd"name\\' } } }).groups[0].rules[0];
    expect(rule.expr).toContain('app="odd\\"name\\\\"');
  });
});

function monitoring(): MonitoringConfig {
  return { name: "acme-monitoring-staging", region: "ams", prometheusTokenVersion: "1", receivers: { page: { kind: "pagerduty", version: "1" } } };
}

describe("alertmanagerConfig", () => {
  test("pages go to the page receiver; everything else to the ticket receiver", () => {
    const config = alertmanagerConfig({ ...monitoring(), receivers: { page: { kind: "pagerduty", version: "1" }, ticket: { kind: "slack", version: "1" } } }) as {
      route: { receiver: string; routes: { receiver: string; matchers: string[] }[] };
      receivers: Record<string, unknown>[];
    };
    expect(config.route.receiver).toBe("ticket");
    expect(config.route.routes).toEqual([expect.objectContaining({ receiver: "page", matchers: ['severity="page"'] })]);
    expect(config.receivers).toEqual([
      { name: "page", pagerduty_configs: [{ routing_key_file: receiverSecretFile("page"), severity: "critical", send_resolved: true }] },
      expect.objectContaining({ name: "ticket", slack_configs: [expect.objectContaining({ api_url_file: receiverSecretFile("ticket"), send_resolved: true })] }),
    ]);
  });

  test("without a ticket receiver, tickets reach the page receiver as warnings (PagerDuty does not page on them)", () => {
    const config = alertmanagerConfig(monitoring()) as { receivers: Record<string, unknown>[] };
    expect(config.receivers[1]).toEqual({ name: "ticket", pagerduty_configs: [{ routing_key_file: receiverSecretFile("page"), severity: "warning", send_resolved: true }] });
  });

  test("a webhook receiver reads its URL from the file", () => {
    const config = alertmanagerConfig({ ...monitoring(), receivers: { page: { kind: "webhook", version: "1" } } }) as { receivers: Record<string, unknown>[] };
    expect(config.receivers[0]).toEqual({ name: "page", webhook_configs: [{ url_file: receiverSecretFile("page"), send_resolved: true }] });
  });
});

describe("monitoringFiles", () => {
  test("none without monitoring; otherwise YAML that parses back to the rules and the routes", () => {
    expect(monitoringFiles(environment())).toBeUndefined();
    const env = environment((e) => {
      withSlo(e);
      e.monitoring = monitoring();
    });
    const files = monitoringFiles(env)!;
    expect(files.rules.startsWith("# Generated by flystack")).toBe(true);
    expect(parse(files.rules)).toEqual(JSON.parse(JSON.stringify(alertRules(env))));
    expect(parse(files.alertmanager)).toEqual(alertmanagerConfig(env.monitoring!));
  });
});
