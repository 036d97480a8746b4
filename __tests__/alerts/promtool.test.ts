/**
 * The generated alerting rules, as Prometheus' own tools read them: `promtool check rules` on every
 * rule file, and `promtool test rules` unit tests over synthetic series proving that each alert fires
 * on its condition and stays silent otherwise. The series and the expected outcomes are computed here
 * from the objectives and counts this file declares, never from the rules' expressions; only the
 * alerts' labels and annotations (and the burn-rate windows) are read from the generated rules.
 * `amtool check-config` checks the generated Alertmanager configuration when amtool is available.
 *
 * promtool comes from scripts/install-promtool.sh (Debian's prometheus package); see promtool-harness.ts.
 */
import { MONITORING_IMAGES } from "../../src/config/monitoring-images";
import * as fs from "node:fs";
import * as path from "node:path";
import { BURN_RATE_WINDOWS, type BurnRateWindow } from "../../src/features/alerts/burn-rate";
import { alertRules, monitoringFiles, toYaml } from "../../src/features/alerts";
import type { AlertRule, RuleFile } from "../../src/features/alerts";
import type { EnvironmentConfig } from "../../src/config/types";
import { validateEnvironments } from "../../src/config/validate";
import { type LoopEnvironment, loopEnvironment } from "../fixtures/environments";
import {
  counterValues,
  durationMinutes,
  expectSuccess,
  findAmtool,
  findPromtool,
  renderTemplate,
  runTool,
  series,
  tempDir,
  toolVersion,
  writeYaml,
} from "./promtool-harness";

const promtool = findPromtool();
const amtool = promtool ? findAmtool() : undefined;

// ---------------------------------------------------------------------------------------------
// The test-owned environments
// ---------------------------------------------------------------------------------------------

const ENV = "alerts";
const WEB = `loop-web-${ENV}`;
const DB = `loop-db-${ENV}`;
const API = `loop-api-${ENV}`;
const EDGE = `loop-edge-${ENV}`;
const MONITORING = `loop-monitoring-${ENV}`;
const AVAILABILITY = 99.9;
const LATENCY = { p: 99, under: 500 };
/** The error budgets of those objectives, worked out by hand: 0.1% and 1% of requests. */
const BUDGET = { availability: 0.001, latency: 0.01 } as const;
/** The le label of the 500 ms bucket, as Prometheus clients write it. */
const LE_UNDER = "0.5";

/**
 * `web` (SLOs; 2 machines in iad and lhr), `db` (1 machine with a volume, iad), `api` (1 in iad), and
 * `edge`: `web` 3 machines in ams and iad that autostop, of which the first 2 in ams (primary) are
 * kept running; `batch` 2 in ams with restart policy "no"; `worker` 1 in iad and syd. Monitoring in fra.
 */
function alertsEnvironment(): LoopEnvironment {
  const env = loopEnvironment(ENV);
  env.apps.web.groups.web.services![0].slo = { availability: AVAILABILITY, latencyMs: { ...LATENCY } };
  const image = `registry.fly.io/loop-edge@sha256:${"5".repeat(64)}`;
  const guest = { cpuKind: "shared" as const, cpus: 1, memoryMb: 256 };
  env.apps.edge = {
    name: EDGE,
    ips: { sharedIpv4: true, ipv6: true },
    groups: {
      web: {
        image,
        guest,
        regions: ["ams", "iad"],
        count: 3,
        services: [{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], autostop: "stop", minMachinesRunning: 2 }],
      },
      batch: { image, guest, regions: ["ams"], count: 2, restart: { policy: "no" } },
      worker: { image, guest, regions: ["iad", "syd"], count: 1 },
    },
  };
  env.monitoring = {
    name: MONITORING,
    region: "fra",
    prometheusTokenVersion: "2026-11-01",
    receivers: { page: { kind: "pagerduty", version: "2026-11-01" }, ticket: { kind: "slack", version: "2026-11-01" } },
  };
  return env;
}

/** Machines that must always run, per app and region, counted by hand from alertsEnvironment(). */
const ALWAYS_RUNNING: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  [WEB]: { iad: 2, lhr: 2 },
  [DB]: { iad: 1 },
  [API]: { iad: 1 },
  [EDGE]: { ams: 2, iad: 1, syd: 1 },
  [MONITORING]: { fra: 2 }, // vmalert and alertmanager, one machine each
};

const env = alertsEnvironment() as EnvironmentConfig;
/** No SLO anywhere, no monitoring app. */
const plainEnv = loopEnvironment("plain") as EnvironmentConfig;
const rules: RuleFile = alertRules(env);
const allRules: AlertRule[] = rules.groups.flatMap((g) => [...g.rules]);

function rule(alert: string, labels: Readonly<Record<string, string>> = {}): AlertRule {
  const found = allRules.filter((r) => r.alert === alert && Object.entries(labels).every(([k, v]) => r.labels[k] === v));
  if (found.length !== 1) throw new Error(`expected one rule ${alert} ${JSON.stringify(labels)}, found ${found.length}`);
  return found[0];
}

// ---------------------------------------------------------------------------------------------
// promtool unit-test files
// ---------------------------------------------------------------------------------------------

interface InputSeries {
  readonly series: string;
  readonly values: string;
}

interface ExpectedAlert {
  readonly exp_labels: Record<string, string>;
  readonly exp_annotations: Record<string, string>;
}

interface AlertTest {
  readonly eval_time: string;
  readonly alertname: string;
  readonly exp_alerts: readonly ExpectedAlert[];
}

interface UnitTest {
  /** Minutes between samples. */
  readonly interval: number;
  readonly input_series: readonly InputSeries[];
  readonly alert_rule_test: readonly AlertTest[];
}

/** The alert as Prometheus would send it: the rule's labels over the series' labels, annotations rendered. */
function firing(r: AlertRule, seriesLabels: Readonly<Record<string, string>> = {}, value = ""): ExpectedAlert {
  const labels = { ...seriesLabels, ...r.labels };
  const annotations = Object.fromEntries(Object.entries(r.annotations).map(([k, v]) => [k, renderTemplate(v, labels, value)]));
  return { exp_labels: labels, exp_annotations: annotations };
}

function at(minutes: number, alertname: string, expected: readonly ExpectedAlert[]): AlertTest {
  return { eval_time: `${minutes}m`, alertname, exp_alerts: expected };
}

const dir = promtool ? tempDir("promtool") : "";
let fileCounter = 0;

/**
 * Writes the unit tests against a rule file (by default the environment's whole generated file) and
 * runs `promtool test rules` on them.
 */
function promtoolTest(tests: readonly UnitTest[], ruleFile = "alerts.yml", evaluationMinutes = 1) {
  const name = `test-${++fileCounter}.yml`;
  writeYaml(dir, name, {
    rule_files: [ruleFile],
    evaluation_interval: `${evaluationMinutes}m`,
    tests: tests.map((t) => ({ ...t, interval: `${t.interval}m` })),
  });
  return runTool(promtool!, ["test", "rules", name], dir);
}

/**
 * A rule file holding only `r` in its generated group (same YAML writer): promtool evaluates every rule
 * of its files at every step, and the 3-day windows would make the other burn-rate tests slow.
 */
function ruleFileFor(r: AlertRule): string {
  const group = rules.groups.find((g) => g.rules.includes(r))!;
  const name = `rules-${r.alert}-${r.labels.app}.yml`;
  fs.writeFileSync(path.join(dir, name), toYaml({ groups: [{ ...group, rules: [r] }] }));
  return name;
}

/** `value` repeated for `steps` steps, then absent for `absentSteps`. */
function gauge(value: number, steps: number, absentSteps = 0): string {
  return `${value}+0x${steps}` + (absentSteps > 0 ? ` _x${absentSteps}` : "");
}

// ---------------------------------------------------------------------------------------------

const describePromtool = promtool ? describe : describe.skip;

describePromtool("promtool on the generated alerting rules", () => {
  beforeAll(() => {
    console.info(`promtool: ${toolVersion(promtool!)}${amtool ? `; amtool: ${toolVersion(amtool)}` : ""}`);
    fs.writeFileSync(path.join(dir, "alerts.yml"), monitoringFiles(env)!.rules);
    fs.writeFileSync(path.join(dir, "plain.yml"), toYaml(alertRules(plainEnv)));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test("the test-owned environments are valid", () => {
    expect(() => validateEnvironments([{ name: ENV, value: env }, { name: "plain", value: plainEnv }])).not.toThrow();
    expect(monitoringFiles(plainEnv)).toBeUndefined();
    expect(alertRules(plainEnv).groups.map((g) => g.name).filter((n) => n.endsWith("/slo"))).toEqual([]);
    expect(rules.groups.map((g) => g.name).filter((n) => n.endsWith("/slo"))).toEqual([`${ENV}/web/slo`]);
  });

  test.each([
    ["alerts.yml", "an environment with SLOs and monitoring", () => allRules.length],
    ["plain.yml", "an environment without SLOs or monitoring", () => alertRules(plainEnv).groups.reduce((n, g) => n + g.rules.length, 0)],
  ])("promtool check rules passes on %s (%s)", (file, _what, count) => {
    const result = runTool(promtool!, ["check", "rules", file], dir);
    expectSuccess(result);
    expect(result.output).toContain(`SUCCESS: ${count()} rules found`);
  });

  test("negative control: a wrong expectation makes promtool test rules fail", () => {
    const healthy = machinesSeries({});
    const wrong = firing(rule("MachinesDown", { app: WEB, region: "iad" }), {}, "2");
    const result = promtoolTest([{ interval: 1, input_series: healthy, alert_rule_test: [at(30, "MachinesDown", [wrong])] }]);
    expect(result.status).not.toBe(0);
    expect(result.output).toContain("MachinesDown");
  });

  // -------------------------------------------------------------------------------------------
  describe("SLO burn-rate alerts", () => {
    /** Requests per step; errors per step are burn rate × budget × this, integers for these objectives. */
    const TOTAL = 10_000;
    const kinds = [
      { kind: "availability", name: "Availability", budget: BUDGET.availability },
      { kind: "latency", name: "Latency", budget: BUDGET.latency },
    ] as const;

    function badPerStep(budget: number, burnRate: number): number {
      const exact = burnRate * budget * TOTAL;
      const rounded = Math.round(exact);
      if (Math.abs(exact - rounded) > 1e-6) throw new Error(`${burnRate} × ${budget} × ${TOTAL} is not an integer`);
      return rounded;
    }

    /** The edge series of `app` with `bad[i]` bad requests of TOTAL in step i (null: no traffic change). */
    function edgeSeries(kind: "availability" | "latency", app: string, bad: readonly number[]): InputSeries[] {
      if (kind === "availability") {
        return [
          { series: series("fly_edge_http_responses_count", { app, status: "200" }), values: counterValues(bad.map((b) => TOTAL - b)) },
          { series: series("fly_edge_http_responses_count", { app, status: "503" }), values: counterValues(bad) },
        ];
      }
      const histogram = "fly_edge_http_response_time_seconds";
      return [
        { series: series(`${histogram}_bucket`, { app, le: "0.25" }), values: counterValues(bad.map((b) => Math.floor((TOTAL - b) / 2))) },
        { series: series(`${histogram}_bucket`, { app, le: LE_UNDER }), values: counterValues(bad.map((b) => TOTAL - b)) },
        { series: series(`${histogram}_bucket`, { app, le: "1" }), values: counterValues(bad.map((b) => TOTAL - Math.floor(b / 2))) },
        { series: series(`${histogram}_bucket`, { app, le: "+Inf" }), values: counterValues(bad.map(() => TOTAL)) },
        { series: series(`${histogram}_count`, { app }), values: counterValues(bad.map(() => TOTAL)) },
      ];
    }

    /** Another app failing every request: the alerts must only read their own app's series. */
    function noisyNeighbour(kind: "availability" | "latency", steps: number): InputSeries[] {
      return edgeSeries(kind, API, new Array<number>(steps).fill(TOTAL));
    }

    const cases = kinds.flatMap((k) => BURN_RATE_WINDOWS.map((w) => ({ ...k, window: w, alert: `SLO${k.name}${w.name}` })));

    test("there is one rule per kind and window, labelled with its window and severity", () => {
      for (const c of cases) {
        expect(rule(c.alert, { app: WEB }).labels).toEqual({
          severity: c.window.severity,
          environment: ENV,
          app: WEB,
          slo: c.kind,
          window: `${c.window.long}/${c.window.short}`,
        });
      }
      expect(cases.length).toBe(6);
    });

    interface Timeline {
      readonly interval: number;
      readonly evalAt: number;
      readonly steps: number;
      readonly atRate: number;
      readonly ruleFile: string;
    }

    function timeline(c: { alert: string; budget: number; window: BurnRateWindow }): Timeline {
      const long = durationMinutes(c.window.long);
      const short = durationMinutes(c.window.short);
      // Coarser steps for the 3-day window keep promtool fast; the short windows stay whole multiples.
      const interval = long >= 1440 ? 5 : 1;
      expect(short % interval).toBe(0);
      const evalAt = long + short;
      return { interval, evalAt, steps: evalAt / interval + 5, atRate: badPerStep(c.budget, c.window.burnRate), ruleFile: ruleFileFor(rule(c.alert, { app: WEB })) };
    }

    test.each(cases.map((c) => [c.alert, c] as const))("%s fires when the budget burns at exactly its burn rate in both windows", (alert, c) => {
      const t = timeline(c);
      // Exactly at the rate, the ratio of two rates can land one floating-point step under the
      // threshold (SLOAvailabilityBurnFast: 0.014399999999999998 in the 1h window): the rule's margin covers it.
      const result = promtoolTest(
        [{ interval: t.interval, input_series: [...edgeSeries(c.kind, WEB, new Array<number>(t.steps).fill(t.atRate)), ...noisyNeighbour(c.kind, t.steps)], alert_rule_test: [at(t.evalAt, alert, [firing(rule(alert, { app: WEB }))])] }],
        t.ruleFile,
        t.interval,
      );
      expectSuccess(result);
    });

    test.each(cases.map((c) => [c.alert, c] as const))(
      "%s fires just above its burn rate; silent at half of it, when only the short window burns, once the burning stopped, and without traffic",
      (alert, c: { kind: "availability" | "latency"; budget: number; window: BurnRateWindow; alert: string }) => {
        const t = timeline(c);
        const short = durationMinutes(c.window.short);
        const long = durationMinutes(c.window.long);
        const halfRate = badPerStep(c.budget, c.window.burnRate / 2);
        const constant = (bad: number) => new Array<number>(t.steps).fill(bad);
        // Only the short window burns (at twice the rate): the long window stays below it.
        const burstSteps = short / t.interval + 1;
        const burstFrom = t.evalAt / t.interval - burstSteps;
        const burstOnly = constant(0).map((_, i) => (i >= burstFrom ? 2 * t.atRate : 0));
        expect(2 * t.atRate * burstSteps * t.interval).toBeLessThan(t.atRate * long); // long-window share below the rate
        // The long window burned at the rate, but the last short window had no errors (the burning stopped).
        const stopped = constant(0).map((_, i) => (i < burstFrom ? t.atRate : 0));
        const result = promtoolTest(
          [
            { interval: t.interval, input_series: [...edgeSeries(c.kind, WEB, constant(t.atRate + 1)), ...noisyNeighbour(c.kind, t.steps)], alert_rule_test: [at(t.evalAt, alert, [firing(rule(alert, { app: WEB }))])] },
            { interval: t.interval, input_series: [...edgeSeries(c.kind, WEB, constant(halfRate)), ...noisyNeighbour(c.kind, t.steps)], alert_rule_test: [at(t.evalAt, alert, [])] },
            { interval: t.interval, input_series: edgeSeries(c.kind, WEB, burstOnly), alert_rule_test: [at(t.evalAt, alert, [])] },
            { interval: t.interval, input_series: edgeSeries(c.kind, WEB, stopped), alert_rule_test: [at(t.evalAt, alert, [])] },
            // No traffic at all: 0/0 never fires.
            { interval: t.interval, input_series: edgeSeries(c.kind, WEB, constant(0)).map((s) => ({ ...s, values: gauge(0, t.steps) })), alert_rule_test: [at(t.evalAt, alert, [])] },
          ],
          t.ruleFile,
          t.interval,
        );
        expectSuccess(result);
      },
    );

    test("SLOLatencyUnmeasurable fires when there is traffic but no bucket at the objective, and not otherwise", () => {
      const expected = firing(rule("SLOLatencyUnmeasurable", { app: WEB }));
      const steps = 120;
      const withBucket = edgeSeries("latency", WEB, new Array<number>(steps).fill(0));
      const withoutBucket = withBucket.filter((s) => !s.series.includes(`le="${LE_UNDER}"`));
      expect(withoutBucket.length).toBe(withBucket.length - 1);
      const result = promtoolTest([
        { interval: 1, input_series: withoutBucket, alert_rule_test: [at(90, "SLOLatencyUnmeasurable", [expected]), at(50, "SLOLatencyUnmeasurable", [])] },
        { interval: 1, input_series: withBucket, alert_rule_test: [at(90, "SLOLatencyUnmeasurable", [])] },
        // No traffic: nothing to measure, nothing to say.
        { interval: 1, input_series: withoutBucket.map((s) => ({ ...s, values: gauge(0, steps) })), alert_rule_test: [at(90, "SLOLatencyUnmeasurable", [])] },
      ]);
      expectSuccess(result);
    });
  });

  // -------------------------------------------------------------------------------------------
  /** Every machine that must run reports fly_instance_up = 1 for 60 minutes, except as `stopAfter` says (minutes per instance). */
  function machinesSeries(stopAfter: Readonly<Record<string, number>>): InputSeries[] {
    const minutes = 60;
    return Object.entries(ALWAYS_RUNNING).flatMap(([app, regions]) =>
      Object.entries(regions).flatMap(([region, count]) =>
        Array.from({ length: count }, (_, i) => {
          const instance = `${app}-${region}-${i + 1}`;
          const stop = stopAfter[instance];
          const values = stop === undefined ? gauge(1, minutes) : gauge(1, stop, minutes - stop);
          return { series: series("fly_instance_up", { app, region, instance, host: "h1" }), values };
        }),
      ),
    );
  }

  describe("platform alerts", () => {
    const machinesDownCases = Object.entries(ALWAYS_RUNNING).flatMap(([app, regions]) => Object.entries(regions).map(([region, count]) => ({ app, region, count })));

    test("MachinesDown has one rule per app and region with machines that must always run", () => {
      const got = allRules.filter((r) => r.alert === "MachinesDown").map((r) => `${r.labels.app}/${r.labels.region}`);
      expect(got.sort()).toEqual(machinesDownCases.map((c) => `${c.app}/${c.region}`).sort());
    });

    test("MachinesDown is silent while every machine reports", () => {
      expectSuccess(promtoolTest([{ interval: 1, input_series: machinesSeries({}), alert_rule_test: [at(30, "MachinesDown", []), at(59, "MachinesDown", [])] }]));
    });

    test.each(machinesDownCases.map((c) => [c.app, c.region, c.count, c] as const))(
      "MachinesDown %s %s (%i must run): fires 5 minutes after one stops reporting, and when none report",
      (_app, _region, _count, c) => {
        const r = rule("MachinesDown", { app: c.app, region: c.region });
        const oneStops = { [`${c.app}-${c.region}-1`]: 10 };
        const allStop = Object.fromEntries(Array.from({ length: c.count }, (_, i) => [`${c.app}-${c.region}-${i + 1}`, 10]));
        // Reported last at 10m, the series is gone after Prometheus' 5-minute lookback (15m); fires 5 minutes later.
        const result = promtoolTest([
          { interval: 1, input_series: machinesSeries(oneStops), alert_rule_test: [at(12, "MachinesDown", []), at(17, "MachinesDown", []), at(30, "MachinesDown", [firing(r, {}, String(c.count - 1))])] },
          { interval: 1, input_series: machinesSeries(allStop), alert_rule_test: [at(30, "MachinesDown", [firing(r, {}, "0")])] },
        ]);
        expectSuccess(result);
      },
    );

    test("MachineRestartLoop fires on 3 boots within 30 minutes, not on 2 or on 3 spread over 40", () => {
      const r = rule("MachineRestartLoop", { app: WEB });
      const labels = { app: WEB, region: "iad", instance: "m1", mode: "idle", host: "h1" };
      const cpu = (l: Record<string, string>) => series("fly_instance_cpu", l);
      /** A counter growing 60 a minute that restarts from 0 after each run of `runs[i]` minutes. */
      const boots = (runs: readonly number[]) => runs.map((n) => `0+60x${n - 1}`).join(" ");
      const userMode = { series: cpu({ ...labels, instance: "m2", mode: "user" }), values: boots([5, 5, 5, 5, 5, 5, 30]) };
      const result = promtoolTest([
        // Boots at 0, 6, 12, 18 minutes: 3 resets by 18m.
        { interval: 1, input_series: [{ series: cpu(labels), values: boots([6, 6, 6, 40]) }, userMode], alert_rule_test: [at(20, "MachineRestartLoop", [firing(r, { instance: "m1", region: "iad" }, "3")])] },
        { interval: 1, input_series: [{ series: cpu(labels), values: boots([6, 6, 50]) }, userMode], alert_rule_test: [at(20, "MachineRestartLoop", [])] },
        // Resets at 20, 40, 60 minutes: never 3 in one 30-minute window.
        { interval: 1, input_series: [{ series: cpu(labels), values: boots([20, 20, 20, 20]) }], alert_rule_test: [at(62, "MachineRestartLoop", [])] },
      ]);
      expectSuccess(result);
    });

    test("MemoryNearLimit fires after 10 minutes at 95%, not at 85% nor after only 5 minutes", () => {
      const r = rule("MemoryNearLimit", { app: WEB });
      const labels = { app: WEB, region: "iad", instance: "m1" };
      const total = 1_000_000_000;
      const memory = (usedShare: number) => [
        { series: series("fly_instance_memory_mem_total", labels), values: gauge(total, 30) },
        { series: series("fly_instance_memory_mem_available", labels), values: gauge(Math.round(total * (1 - usedShare)), 30) },
      ];
      const result = promtoolTest([
        { interval: 1, input_series: memory(0.95), alert_rule_test: [at(15, "MemoryNearLimit", [firing(r, labels)]), at(5, "MemoryNearLimit", [])] },
        { interval: 1, input_series: memory(0.85), alert_rule_test: [at(15, "MemoryNearLimit", [])] },
      ]);
      expectSuccess(result);
    });

    test("VolumeUsageHigh (only for apps with a volume) fires after 15 minutes at 85%, not at 75%", () => {
      expect(allRules.filter((r) => r.alert === "VolumeUsageHigh").map((r) => r.labels.app)).toEqual([DB]);
      const r = rule("VolumeUsageHigh", { app: DB });
      const labels = { app: DB, region: "iad", id: "vol_pgdata1" };
      const volume = (percent: number) => ({ series: series("fly_volume_used_pct", labels), values: gauge(percent, 40) });
      const result = promtoolTest([
        { interval: 1, input_series: [volume(85), { series: series("fly_volume_used_pct", { ...labels, app: WEB }), values: gauge(99, 40) }], alert_rule_test: [at(20, "VolumeUsageHigh", [firing(r, labels, "85")]), at(10, "VolumeUsageHigh", [])] },
        { interval: 1, input_series: [volume(75)], alert_rule_test: [at(20, "VolumeUsageHigh", [])] },
      ]);
      expectSuccess(result);
    });
  });

  // -------------------------------------------------------------------------------------------
  (amtool ? describe : describe.skip)("amtool check-config on the generated Alertmanager configuration", () => {
    // scripts/install-promtool.sh builds amtool from the Alertmanager release the monitoring app runs
    // (Debian's 0.25 would refuse webhook url_file, which the deployed 0.33 reads); the test below pins that.
    const check = (name: string, receivers: unknown) => {
      const withReceivers = alertsEnvironment();
      withReceivers.monitoring!.receivers = receivers as never;
      const file = `alertmanager-${name.replace(/\W+/g, "-")}.yml`;
      fs.writeFileSync(path.join(dir, file), monitoringFiles(withReceivers as EnvironmentConfig)!.alertmanager);
      expectSuccess(runTool(amtool!, ["check-config", file], dir));
    };
    test("pagerduty pages, slack tickets", () => check("pagerduty-slack", { page: { kind: "pagerduty", version: "1" }, ticket: { kind: "slack", version: "1" } }));
    test("slack for both", () => check("slack", { page: { kind: "slack", version: "1" } }));
    test("one webhook for both", () => check("webhook", { page: { kind: "webhook", version: "1" } }));
  });

  test("scripts/install-promtool.sh builds amtool from the Alertmanager release of the pinned image", () => {
    const script = fs.readFileSync(path.join(__dirname, "../../scripts/install-promtool.sh"), "utf8");
    const built = /go_alertmanager=\$\{FLYSTACK_AMTOOL_GO_VERSION:-(v[\d.]+)\}/.exec(script);
    const image = /^prom\/alertmanager:(v[\d.]+)@sha256:[0-9a-f]{64}$/.exec(MONITORING_IMAGES.alertmanager);
    expect(built?.[1]).toBeDefined();
    expect(built?.[1]).toBe(image?.[1]);
  });
});
