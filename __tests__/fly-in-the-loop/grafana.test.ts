/**
 * The monitoring app's Grafana (monitoring.grafana) through real terraform, the provider double and
 * the fake Fly API: the apply creates a third machine from the pinned Grafana image, whose container
 * holds the data source, the dashboard provider and every dashboard, byte for byte what
 * `flystack dashboards` writes; the admin password and the Prometheus token arrive as secrets; a
 * second plan changes nothing.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, flystack, projectWithEnvironments, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import type { Machine } from "../fakes/fly-api/model";
import { MONITORING_IMAGES } from "../../src/config/monitoring-images";
import { GRAFANA_ADMIN_SECRET, MONITORING_FILES, PROMETHEUS_TOKEN_SECRET } from "../../src/config/monitoring";
import { dashboardEnvironment } from "../dashboards/fixture";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-grafana-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: the monitoring app's Grafana", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = dashboardEnvironment("grafana");
  const monitoringApp = env.monitoring!.name;
  const project = projectWithEnvironments([env]);
  beforeAll(() => loop.start());
  afterAll(async () => {
    await loop.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  test("the apply provisions Grafana with exactly the dashboards flystack dashboards writes; a second plan changes nothing", async () => {
    await loop.deploy([env]);
    const machines = await loop.get<Machine[]>(`/v1/apps/${monitoringApp}/machines`);
    const grafana = machines.filter((m) => m.config?.metadata?.fly_process_group === "grafana");
    expect(grafana).toHaveLength(1);
    const container = grafana[0].config!.containers![0];
    expect(container.image).toBe(MONITORING_IMAGES.grafana);
    expect(container.entrypoint).toEqual(["/bin/sh"]);
    expect(container.cmd).toEqual([MONITORING_FILES.grafanaStart]);
    expect((container.secrets ?? []).map((s) => s.env_var).sort()).toEqual([GRAFANA_ADMIN_SECRET, PROMETHEUS_TOKEN_SECRET].sort());
    const files = new Map((container.files ?? []).map((f) => [f.guest_path, Buffer.from(f.raw_value ?? "", "base64").toString("utf8")]));
    expect(files.get(MONITORING_FILES.grafanaDatasources)).toContain(`url: https://api.fly.io/prometheus/${env.fly.org}`);
    expect(files.get(MONITORING_FILES.grafanaDashboardProvider)).toContain(`path: ${MONITORING_FILES.grafanaDashboards}`);

    // The command's output, in a project holding the same environment.
    const out = path.join(project, "dash-out");
    const run = await flystack(project, ["dashboards", "--out", out]);
    expect(run.code).toBe(0);
    const written = fs.readdirSync(path.join(out, env.name)).sort();
    expect(written).toEqual(["api.json", "db.json", "monitoring.json", "overview.json", "web.json"]);
    for (const file of written) {
      expect({ file, same: files.get(`${MONITORING_FILES.grafanaDashboards}/${file}`) === fs.readFileSync(path.join(out, env.name, file), "utf8") }).toEqual({ file, same: true });
    }

    const again = await loop.flystack(["plan", "--skip-synth", "--out", "plans-again"], loop.withoutSecrets());
    expect(again.code).toBe(0);
    const json = JSON.parse(fs.readFileSync(path.join(loop.project, "plans-again", `${env.name}.plan.json`), "utf8")) as { resource_changes?: { address: string; change: { actions: string[] } }[] };
    expect((json.resource_changes ?? []).filter((c) => c.change.actions.join() !== "no-op").map((c) => c.address)).toEqual([]);
  });
});
