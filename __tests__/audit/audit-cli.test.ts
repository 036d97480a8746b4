/**
 * `flystack audit` end to end: real terraform and the provider double apply a fixture environment
 * into the fake Fly API, then changes are made behind Terraform's back as flyctl would, and the
 * audit (through the CLI, against the fake) must name the app, resource and field of each.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "../fly-in-the-loop/providers";
import { Loop } from "../fly-in-the-loop/loop";
import type { Finding } from "../../src/features/audit/types";
import { auditEnvironment, outOfBandCases } from "./out-of-band";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-audit-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().slice(0, 1) : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(180_000);

interface AuditJson {
  stacks: { stack: string; status: string; findings: Finding[]; error?: string }[];
}

describeEachBinary(binaries, "$name: flystack audit against the fake Fly API", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = auditEnvironment();
  const web = env.apps.web.name;
  const db = env.apps.db.name;
  const outputs: string[] = [];
  let flyUrl = "";

  async function audit(args: string[] = [], extra: Record<string, string | undefined> = {}) {
    const run = await loop.flystack(["audit", "--skip-synth", ...args], { FLYSTACK_FLY_API_URL: flyUrl, FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "2000", ...extra });
    outputs.push(run.stdout, run.stderr);
    return run;
  }
  async function findings(): Promise<{ code: number; findings: Finding[]; json: AuditJson; stderr: string }> {
    const run = await audit(["--json"]);
    const json = JSON.parse(run.stdout) as AuditJson;
    return { code: run.code, findings: json.stacks.flatMap((s) => s.findings), json, stderr: run.stderr };
  }
  const machineNamed = (app: string, name: string) => loop.fly.machinesOf(app).find((m) => m.name === name)!;

  beforeAll(async () => {
    await loop.start();
    flyUrl = loop.flyApiUrl;
    loop.synthesize([env]);
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans"], loop.withoutSecrets());
    if (planned.code !== 0) throw new Error(`plan failed: ${planned.stderr}`);
    const applied = await loop.flystack(["apply", "--plans", "plans"]);
    if (applied.code !== 0) throw new Error(`apply failed: ${applied.stderr}`);
  });
  afterAll(async () => {
    for (const text of outputs) expect(text).not.toContain(loop.env().FLY_API_TOKEN);
    await loop.stop();
  });

  test("after apply the audit is clean: exit 0, a Markdown report, and the report file", async () => {
    const run = await audit(["--report", "audit.md"]);
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.stdout).toContain("## audit: clean");
    expect(run.code).toBe(0);
    expect(fs.readFileSync(path.join(loop.project, "audit.md"), "utf8")).toContain("## audit: clean");
    const json = await findings();
    expect(json.findings).toEqual([]);
    expect(json.json.stacks).toEqual([{ stack: "audit", status: "clean", findings: [] }]);
  });

  test("an autostopped machine in a group that allows autostop is not drift", async () => {
    loop.fly.stopMachineOutOfBand(machineNamed(web, `${web}-idle-iad-1`).id!);
    const result = await findings();
    expect(result.findings).toEqual([]);
    expect(result.code).toBe(0);
  });

  const cases = outOfBandCases(loop, env);
  test.each(cases)("$name: exit 2 naming the app, resource and field", async ({ change, undo, expected }) => {
    await change();
    const wanted = Array.isArray(expected) ? expected : [expected];
    try {
      const result = await findings();
      expect(result.code).toBe(2);
      expect(result.json.stacks[0].status).toBe("drift");
      expect(result.findings).toEqual(wanted.map((w) => expect.objectContaining({ ...w, severity: "drift" })));
      const markdown = await audit();
      expect(markdown.code).toBe(2);
      expect(markdown.stdout).toContain(`| drift | ${wanted[0].app} |`);
    } finally {
      await undo();
    }
    expect((await findings()).code).toBe(0);
  });

  test("a 429 with Retry-After and a 500 once are retried: the audit recovers", async () => {
    const since = loop.fly.requests.length;
    loop.fly.inject({ method: "GET", path: new RegExp(`^/v1/apps/${web}/machines$`), status: 429, retryAfter: 1 });
    loop.fly.inject({ method: "GET", path: new RegExp(`^/v1/apps/${db}/volumes$`), status: 500 });
    const result = await findings();
    expect(result.code).toBe(0);
    const statuses = loop.fly.requests.slice(since).filter((r) => r.path === `/v1/apps/${web}/machines`).map((r) => r.status);
    expect(statuses).toEqual([429, 200]);
    expect(loop.fly.requests.slice(since).filter((r) => r.path === `/v1/apps/${db}/volumes`).map((r) => r.status)).toEqual([500, 200]);
    expect(result.stderr).toMatch(/answered 429; try 2 of 5 in 1\.0s/);
  });

  test("a 401 exits 1 naming the token and the scope, never echoing it", async () => {
    const run = await audit([], { FLY_API_TOKEN: "wrong-token-value-xyz" });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("## audit: error");
    expect(run.stdout).toMatch(/401 Unauthorized: FLY_API_TOKEN needs read access to app loop-[a-z]+-audit: a token from `fly tokens create readonly`/);
    expect(run.stdout + run.stderr).not.toContain("wrong-token-value-xyz");
  });

  test("no token: exit 1 naming FLY_API_TOKEN", async () => {
    const run = await audit([], { FLY_API_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("FLY_API_TOKEN");
  });

  test("a timeout exits 1 and is never reported as clean", async () => {
    const since = loop.fly.requests.length;
    loop.fly.inject({ method: "GET", path: new RegExp(`^/v1/apps/${web}$`), delayMs: 1500, times: 10 });
    const run = await audit(["--json"], { FLYSTACK_FLY_API_TIMEOUT_MS: "300", FLYSTACK_FLY_API_TOTAL_MS: "1000" });
    expect(run.code).toBe(1);
    const json = JSON.parse(run.stdout) as AuditJson;
    expect(json.stacks[0]).toMatchObject({ stack: "audit", status: "error" });
    expect(json.stacks[0].error).toMatch(new RegExp(`GET /v1/apps/${web} timed out after 0.3s`));
    // Use up what is left of the injection, so later tests get prompt answers.
    const tries = loop.fly.requests.slice(since).filter((r) => r.path === `/v1/apps/${web}`).length;
    expect(tries).toBeGreaterThanOrEqual(2);
    await Promise.all(Array.from({ length: 10 - tries }, () => loop.get(`/v1/apps/${web}`)));
  });

  test("a machine destroyed out of band is drift", async () => {
    loop.fly.destroyMachineOutOfBand(machineNamed(web, `${web}-web-lhr-2`).id!);
    const result = await findings();
    expect(result.code).toBe(2);
    expect(result.findings).toEqual([expect.objectContaining({ app: web, resource: "fly_machine.web_web_lhr_2", field: "machine", actual: "missing", severity: "drift" })]);
  });

  test("a volume gone from under its machine is drift: the volume missing, the machine's mount pointing at nothing", async () => {
    const volume = loop.fly.volumesOf(db)[0];
    loop.fly.loseVolumeOutOfBand(volume.id!);
    const result = await findings();
    expect(result.code).toBe(2);
    expect(result.findings.filter((f) => f.app === db)).toEqual([
      expect.objectContaining({ resource: "fly_machine.db_pg_iad_1", field: "mounts", expected: "/data=pg_data_iad_1", actual: `/data=missing volume ${volume.id}`, severity: "drift" }),
      expect.objectContaining({ resource: "fly_volume.db_pg_iad_1", field: "volume", actual: "missing", severity: "drift" }),
    ]);
  });
});
