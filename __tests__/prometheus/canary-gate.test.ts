/**
 * `flystack canary-gate` against a real Prometheus server (Debian's, on 127.0.0.1) over series
 * shaped as Fly's built-in metrics, and the fake Fly Machines API for the group's machines: a
 * healthy canary passes; one with 3× the error rate fails, and so does a slow one; too little
 * traffic follows onInsufficientData; a group of one compares the group before and during the window.
 */
import { findPrometheus, findPromtool } from "../alerts/promtool-harness";
import { flystack } from "../cli/harness";
import { FakeFlyApi } from "../fakes/fly-api";
import { LocalPrometheus } from "./local-prometheus";
import { flySeries, type Traffic } from "./fly-series";

const prometheus = findPrometheus();
const promtool = prometheus ? findPromtool() : undefined;
const describeWithPrometheus = prometheus && promtool ? describe : describe.skip;
jest.setTimeout(120_000);

const TOKEN = "canary-test-token";
const NOW = Math.floor(Date.now() / 1000 / 60) * 60;
const FROM = NOW - 2 * 3600;
const FAST = [0.02, 0.05, 0.08, 0.12, 0.2]; // p99 in the 0.25 s bucket
const SLOW = [0.4, 0.8, 1.2, 1.6, 2.2]; // p99 in the 2.5 s bucket

describeWithPrometheus("canary-gate against a real Prometheus", () => {
  const fly = new FakeFlyApi({ token: TOKEN, startDelayMs: 1 });
  let flyUrl = "";
  const servers: LocalPrometheus[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await fly.stop();
  });

  /** An app with `count` machines of group web (and one of another group, never the baseline); their ids, canary first. */
  async function app(name: string, count: number): Promise<string[]> {
    if (!flyUrl) flyUrl = await fly.start();
    const send = async <T>(method: string, p: string, body: unknown) => {
      const res = await fetch(`${flyUrl}${p}`, { method, headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" }, body: JSON.stringify(body) });
      if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
      return (await res.json()) as T;
    };
    await send("POST", "/v1/apps", { name, org_slug: "acme" });
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      const m = await send<{ id: string }>("POST", `/v1/apps/${name}/machines`, { name: `${name}-web-${i}`, region: "iad", config: { image: "registry.fly.io/x:1", metadata: { fly_process_group: "web" } } });
      ids.push(m.id);
    }
    await send("POST", `/v1/apps/${name}/machines`, { name: `${name}-worker`, region: "iad", config: { image: "registry.fly.io/x:1", metadata: { fly_process_group: "worker" } } });
    return ids;
  }

  async function gate(appName: string, ids: string[], traffic: (id: string, i: number) => Omit<Traffic, "app" | "instance" | "from" | "to">, extra: string[] = []) {
    const server = await LocalPrometheus.start(prometheus!, promtool!, flySeries(ids.map((id, i) => ({ app: appName, instance: id, from: FROM, to: NOW, ...traffic(id, i) }))));
    servers.push(server);
    const run = await flystack(process.cwd(), ["canary-gate", "--app", appName, "--org", "acme", "--group", "web", "--machine", ids[0], "--window", "10m", "--max-error-ratio", "2", "--max-latency-ratio", "1.5", ...extra], {
      env: { FLY_API_TOKEN: TOKEN, FLYSTACK_FLY_API_URL: flyUrl, FLYSTACK_PROMETHEUS_URL: server.url, FLYSTACK_CANARY_EVALUATE_AT: String(NOW) },
    });
    return run;
  }

  test("a healthy canary passes: its 5xx ratio and p99 beside the group's other machines", async () => {
    const ids = await app("healthy", 4);
    const run = await gate("healthy", ids, () => ({ perMinute: 100, errorRatio: 0.005, latencies: FAST }));
    expect({ code: run.code, out: run.stdout }).toEqual({ code: 0, out: expect.stringContaining("PASS: the canary's 5xx ratio and p99 latency are within 2× and 1.5× the baseline's") });
    expect(run.stdout).toContain("baseline: the group's 3 other machines over the same window");
    expect(run.stdout).toMatch(/requests +canary +1000 +baseline +3000/);
    expect(run.stdout).toMatch(/5xx ratio +canary +0\.50% +baseline +0\.50% +1\.00× \(allowed 2×\): pass/);
  });

  test("a canary with 3× the error rate fails, naming the ratio", async () => {
    const ids = await app("erring", 4);
    const run = await gate("erring", ids, (_id, i) => ({ perMinute: 100, errorRatio: i === 0 ? 0.03 : 0.01, latencies: FAST }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/5xx ratio +canary +3\.00% +baseline +1\.00% +3\.00× \(allowed 2×\): FAIL/);
    expect(run.stdout).toContain("FAIL: the canary's 5xx ratio is 3.00× the baseline's (allowed 2×); the group's other machines stay on the old release");
  });

  test("a slow canary fails on its latency quantile", async () => {
    const ids = await app("slow", 3);
    const run = await gate("slow", ids, (_id, i) => ({ perMinute: 100, errorRatio: 0, latencies: i === 0 ? SLOW : FAST }));
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/p99 latency +canary +2\.4\d\d s +baseline +0\.2\d\d s +\d+\.\d\d× \(allowed 1\.5×\): FAIL/);
    expect(run.stdout).toContain("FAIL: the canary's p99 latency is");
  });

  test("too little traffic: fails by default, passes with --on-insufficient-data pass, and says so either way", async () => {
    const ids = await app("quiet", 3);
    const quiet = () => ({ perMinute: 2, errorRatio: 0, latencies: FAST });
    const failed = await gate("quiet", ids, quiet);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('FAIL: too little traffic to judge: the canary served 20 requests and the baseline served 40, fewer than the 100 needed; onInsufficientData is "fail", so the gate fails');
    const passed = await gate("quiet", ids, quiet, ["--on-insufficient-data", "pass"]);
    expect(passed.code).toBe(0);
    expect(passed.stdout).toContain('PASS: too little traffic to judge: the canary served 20 requests');
  });

  test("a group of one: the canary is compared with the group over the window before, and the output says so", async () => {
    const ids = await app("single", 1);
    const run = await gate("single", ids, () => ({ perMinute: 100, errorRatio: 0.005, latencies: FAST }));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("baseline: the whole group over the window before this one (the group has no other machine): no series tells a canary apart from machines that are not there");
  });

  test("metrics that cannot be read fail the gate, naming the request", async () => {
    const ids = await app("unreachable", 2);
    const run = await flystack(process.cwd(), ["canary-gate", "--app", "unreachable", "--org", "acme", "--group", "web", "--machine", ids[0], "--window", "10m", "--max-error-ratio", "2", "--max-latency-ratio", "1.5"], {
      env: { FLY_API_TOKEN: TOKEN, FLYSTACK_FLY_API_URL: flyUrl, FLYSTACK_PROMETHEUS_URL: "http://127.0.0.1:9", FLYSTACK_CANARY_EVALUATE_AT: String(NOW) },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL: the canary could not be judged: GET http:\/\/127\.0\.0\.1:9\/api\/v1\/query/);
  });
});
