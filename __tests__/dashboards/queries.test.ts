/**
 * Every panel query of every dashboard parses as PromQL (`promtool check rules`, each query a
 * recording rule), and against a real Prometheus server (Debian's, on 127.0.0.1) over series shaped
 * as Fly's, the panels return the numbers the data holds: the P99 of a known histogram, a known 5xx
 * ratio, an error budget half spent.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";
import { dashboardQueries, environmentDashboards, appDashboard, overviewDashboard } from "../../src/features/dashboards/build";
import { validateEnvironments } from "../../src/config/validate";
import type { EnvironmentConfig } from "../../src/config/types";
import { expectSuccess, findPrometheus, findPromtool, runTool } from "../alerts/promtool-harness";
import { LocalPrometheus } from "../prometheus/local-prometheus";
import { flySeries } from "../prometheus/fly-series";
import { PrometheusClient } from "../../src/features/prometheus/client";
import { dashboardEnvironment } from "./fixture";

const promtool = findPromtool();
const prometheus = promtool ? findPrometheus() : undefined;
jest.setTimeout(180_000);

const [env] = validateEnvironments([{ name: "dash", value: dashboardEnvironment() }]) as EnvironmentConfig[];
const all = environmentDashboards(env);

(promtool ? describe : describe.skip)("every panel query is PromQL promtool parses", () => {
  it("each dashboard's queries, as recording rules", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-dashboard-queries-"));
    const queries = all.flatMap((d) => dashboardQueries(d.dashboard).map((q) => ({ ...q, dashboard: d.name })));
    expect(queries.length).toBeGreaterThan(30);
    const file = path.join(dir, "queries.yml");
    fs.writeFileSync(file, stringify({ groups: [{ name: "panels", rules: queries.map((q, i) => ({ record: `flystack:panel_${i}`, expr: q.expr })) }] }));
    expectSuccess(runTool(promtool!, ["check", "rules", file], dir));
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

(prometheus ? describe : describe.skip)("panel queries against a real Prometheus", () => {
  const NOW = Math.floor(Date.now() / 1000 / 3600) * 3600;
  const web = env.apps.web.name;
  let server: LocalPrometheus;
  let client: PrometheusClient;
  beforeAll(async () => {
    // 100 requests a minute: 90 take 0.05 s, 9 take 0.2 s, 1 takes 0.4 s; 2% are 5xx and 1% 4xx.
    const latencies = [...Array(90).fill(0.05), ...Array(9).fill(0.2), 0.4];
    // Over 30 days: 0.5% 5xx against the 99% objective, half its budget; the last hour as above.
    const month = { app: web, perMinute: 100, errorRatio: 0.005, latencies, from: NOW - 30 * 86_400 - 3600, to: NOW - 3600, step: 3600 };
    const hour = { app: web, perMinute: 100, errorRatio: 0.02, clientErrorRatio: 0.01, latencies, from: NOW - 3600 + 60, to: NOW };
    // The same series twice: the hour's counters restart (a reset, which rate() and increase() handle).
    server = await LocalPrometheus.start(prometheus!, promtool!, [...flySeries([], [month]), ...flySeries([], [hour])]);
    client = new PrometheusClient({ url: server.url });
  });
  afterAll(() => server?.stop());

  const panel = (title: string, dashboard = appDashboard(env, "web", env.apps.web)) => dashboard.panels.find((p) => p.title === title)!;
  const value = async (expr: string) => client.scalar(expr, NOW);

  it("Latency: p99 is the top of the bucket the 99th request falls in (0.25 s); p50 lies in the first", async () => {
    const [p50, , p99] = panel("Latency").targets!;
    expect(await value(p99.expr)).toBeCloseTo(0.25, 6);
    const median = await value(p50.expr);
    expect(median).toBeGreaterThan(0.025);
    expect(median).toBeLessThanOrEqual(0.05);
  });

  it("Errors: the 5xx ratio is 2% and the 4xx ratio 1%", async () => {
    const [five, four] = panel("Errors").targets!;
    expect(await value(five.expr)).toBeCloseTo(0.02, 6);
    expect(await value(four.expr)).toBeCloseTo(0.01, 6);
  });

  it("SLO: the availability budget is half spent over 30 days", async () => {
    const budget = panel("availability 99%: error budget left (30 days)").targets![0];
    // 30 days at 0.5% and one hour at 2% against a 1% budget: just under half left.
    const expected = 1 - (0.005 * 30 * 24 + 0.02) / (30 * 24 + 1) / 0.01;
    expect(await value(budget.expr)).toBeCloseTo(expected, 3);
    expect(expected).toBeGreaterThan(0.49);
    expect(expected).toBeLessThan(0.5);
  });

  it("the overview shows the same numbers", async () => {
    const overview = overviewDashboard(env);
    const stat = (title: string) => overview.panels.find((p) => p.title === title && p.type === "stat")!.targets![0].expr;
    expect(await value(stat("5xx"))).toBeCloseTo(0.02, 6);
    expect(await value(stat("p99 latency"))).toBeCloseTo(0.25, 6);
  });
});
