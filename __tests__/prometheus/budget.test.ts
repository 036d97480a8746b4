/**
 * The error-budget freeze (`flystack budget`) against a real Prometheus server over series shaped as
 * Fly's edge metrics: a spent budget refuses the deploy naming the app, its SLO and the budget left;
 * a budget within its objective passes; the commit trailer Flystack-Budget-Override lets a fix
 * through and its reason is printed; an app without traffic has its budget untouched.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findPrometheus, findPromtool } from "../alerts/promtool-harness";
import { flystack } from "../cli/harness";
import { LocalPrometheus } from "./local-prometheus";
import { flySeries } from "./fly-series";

const prometheus = findPrometheus();
const promtool = prometheus ? findPromtool() : undefined;
const describeWithPrometheus = prometheus && promtool ? describe : describe.skip;
jest.setTimeout(120_000);

const NOW = Math.floor(Date.now() / 1000 / 3600) * 3600;
const DAYS = 30 * 86_400;
const FAST = [0.02, 0.05, 0.1, 0.2];

/**
 * A checkout (a git repository whose HEAD has `message`) holding one synthesized stack, production,
 * whose metadata records these objectives (and more stacks, by name, with theirs).
 */
function checkout(message: string, slos: unknown[], more: Record<string, unknown[]> = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-budget-"));
  const stacks = { production: slos, ...more };
  fs.mkdirSync(path.join(dir, "cdktf.out"), { recursive: true });
  fs.writeFileSync(path.join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ stacks: Object.fromEntries(Object.keys(stacks).map((name) => [name, { workingDirectory: `stacks/${name}` }])) }));
  for (const [name, objectives] of Object.entries(stacks)) {
    const stackDir = path.join(dir, "cdktf.out", "stacks", name);
    fs.mkdirSync(stackDir, { recursive: true });
    fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ "//": { flystack: { environment: "production", protected: true, org: "acme", slos: objectives } }, resource: {} }));
  }
  const git = (...args: string[]) => {
    const r = spawnSync("git", args, { cwd: dir, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  };
  git("init", "-q");
  git("commit", "-q", "--allow-empty", "-m", message);
  return dir;
}

describeWithPrometheus("the error-budget freeze against a real Prometheus", () => {
  let server: LocalPrometheus;
  beforeAll(async () => {
    // 30 days at 60 requests a minute, one sample an hour (3,600 requests each).
    const series = flySeries(
      [],
      [
        // "burning": 0.15% 5xx against a 99.9% objective (0.1% allowed): overspent by half.
        { app: "acme-burning", perMinute: 60, errorRatio: 0.0015, latencies: FAST, from: NOW - DAYS - 3600, to: NOW, step: 3600 },
        // "healthy": 0.05% 5xx against 99.9%: half the budget left.
        { app: "acme-healthy", perMinute: 60, errorRatio: 0.0005, latencies: FAST, from: NOW - DAYS - 3600, to: NOW, step: 3600 },
      ],
    );
    server = await LocalPrometheus.start(prometheus!, promtool!, series);
  });
  afterAll(() => server?.stop());

  const budget = (dir: string, extra: string[] = []) => flystack(dir, ["budget", "--at", String(NOW), ...extra], { env: { FLYSTACK_PROMETHEUS_URL: server.url, FLY_API_TOKEN: "budget-test-token" } });
  const SLOS = [
    { app: "api", flyName: "acme-burning", availability: 99.9 },
    { app: "web", flyName: "acme-healthy", availability: 99.9 },
    { app: "quiet", flyName: "acme-quiet", availability: 99.9 },
  ];

  test("a spent budget refuses the deploy, naming the app, its SLO and the budget left", async () => {
    const run = await budget(checkout("feat: a new endpoint", SLOS));
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("- `production`: api (acme-burning), availability 99.9%: 0.150% bad of 0.100% allowed, -50.0% of the budget left: SPENT");
    expect(run.stdout).toContain("- `production`: web (acme-healthy), availability 99.9%: 0.050% bad of 0.100% allowed, 50.0% of the budget left");
    expect(run.stdout).toContain("- `production`: quiet (acme-quiet), availability 99.9%: no traffic in 30 days, 100.0% of the budget left");
    expect(run.stdout).toContain('**Refused**: the error budget of api (availability 99.9%, -50.0% left) is spent. Fix reliability first, or let a fix through with the commit trailer "Flystack-Budget-Override: <reason>".');
  });

  test("the commit trailer lets a fix through, and the reason is shown", async () => {
    const run = await budget(checkout("fix: retry the database on 503\n\nFlystack-Budget-Override: this fix is what brings the error rate down (INC-42)", SLOS));
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('**Overridden**: the error budget of api (availability 99.9%, -50.0% left) is spent; the commit\'s Flystack-Budget-Override trailer lets it through: "this fix is what brings the error rate down (INC-42)"');
    const json = await budget(checkout("fix\n\nFlystack-Budget-Override: urgent", SLOS), ["--json"]);
    expect(JSON.parse(json.stdout)).toMatchObject({ override: "urgent", refused: false, budgets: expect.arrayContaining([expect.objectContaining({ app: "api", spent: true })]) });
  });

  test("budgets within their objective pass; a stack without SLOs has nothing to check", async () => {
    const run = await budget(checkout("feat", [SLOS[1]]));
    expect({ code: run.code, refused: run.stdout.includes("Refused") }).toEqual({ code: 0, refused: false });
    const none = await budget(checkout("feat", []));
    expect(none.stdout).toContain("No app of these stacks declares an SLO: nothing to check.");
  });

  test("--allowed-out: in a batch, a spent budget holds back its own stack only (all pass when overridden)", async () => {
    const allowed = (dir: string) => fs.readFileSync(path.join(dir, "allowed"), "utf8");
    const batch = checkout("feat", SLOS, { customer2: [SLOS[1]], customer3: [] });
    const run = await budget(batch, ["--allowed-out", "allowed"]);
    expect(run.code).toBe(1);
    expect(allowed(batch)).toBe("customer2\ncustomer3\n");
    const overridden = checkout("fix\n\nFlystack-Budget-Override: urgent", SLOS, { customer2: [SLOS[1]] });
    expect((await budget(overridden, ["--allowed-out", "allowed"])).code).toBe(0);
    expect(allowed(overridden)).toBe("customer2\nproduction\n");
    const unreadable = checkout("feat", SLOS, { customer2: [] });
    fs.writeFileSync(path.join(unreadable, "allowed"), "stale\n");
    const failed = await flystack(unreadable, ["budget", "--allowed-out", "allowed"], { env: { FLYSTACK_PROMETHEUS_URL: "http://127.0.0.1:9", FLY_API_TOKEN: "x" } });
    expect(failed.code).toBe(1);
    expect(allowed(unreadable)).toBe("");
  });

  test("metrics that cannot be read refuse the deploy, saying why", async () => {
    const dir = checkout("feat", SLOS);
    const run = await flystack(dir, ["budget"], { env: { FLYSTACK_PROMETHEUS_URL: "http://127.0.0.1:9", FLY_API_TOKEN: "x" } });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^flystack budget: the error budgets could not be read, so the deploy is refused: GET http:\/\/127\.0\.0\.1:9\/api\/v1\/query/);
  });
});
