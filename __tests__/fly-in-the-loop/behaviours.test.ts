/**
 * What flystack's stacks do when the real terraform (and tofu) drives the provider double against the
 * fake Fly API, on environments this file owns: rolling deploys in order and stopped by a failing
 * canary, secrets that never leave the write-only path, a guest change that keeps the volume, a volume
 * replacement that takes its machine along and is refused where protected, and what a refresh reads
 * back after changes made outside Terraform.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import type { RecordedRequest } from "../fakes/fly-api";
import { sha256 } from "../fakes/fly-api/model";
import { loopProviders } from "./providers";
import { Loop, plannedActions, refreshOnly } from "./loop";
import { IMAGE_V1, IMAGE_V2, type LoopEnvironment, loopEnvironment } from "../fixtures/environments";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-rc-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries() : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** A value no code or fixture contains, so finding it anywhere means it leaked. */
const marker = (variable: string) => `MARKER-${variable}-${"q7Zt".repeat(3)}`;
const IMAGE_V3 = IMAGE_V2.replace(/2{64}$/, "5".repeat(64));

jest.setTimeout(180_000);

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: flystack's behaviours", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, secretValue: marker });
  let env: LoopEnvironment = loopEnvironment("loop");
  let guarded: LoopEnvironment = loopEnvironment("guarded", { protected: true });
  const web = () => env.apps.web.name;
  const outputs: string[] = [];

  /** Synthesizes both environments, plans and applies; returns the CLI runs. */
  async function deploy(planDir: string, extraEnv?: Record<string, string>): Promise<{ planCode: number; applyCode: number; applyErr: string }> {
    loop.synthesize([env, guarded]);
    // Planned with no secret at all, as the workflows plan; applied with the real values.
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", planDir], { ...loop.withoutSecrets(), ...extraEnv });
    outputs.push(planned.stdout, planned.stderr);
    if (planned.code !== 0) return { planCode: planned.code, applyCode: -1, applyErr: planned.stderr };
    const applied = await loop.flystack(["apply", "--plans", planDir], extraEnv);
    outputs.push(applied.stdout, applied.stderr);
    return { planCode: 0, applyCode: applied.code, applyErr: applied.stderr };
  }

  /** The fake's requests that create (POST …/machines) or update (POST …/machines/{id}) a machine of an app. */
  const machineWrites = (app: string, since = 0): RecordedRequest[] =>
    loop.fly.requests.filter((r) => r.time >= since && r.method === "POST" && new RegExp(`^/v1/apps/${app}/machines(/[^/]+)?$`).test(r.path) && r.status === 200);
  const machineIdOf = (r: RecordedRequest, app: string) => r.path.split("/")[5] ?? loop.fly.machinesOf(app).find((m) => m.name === (r.body as { name?: string }).name)?.id;
  /** When the double last heard about the machine before `before`: its waits and check polls. */
  const lastWaitEnd = (id: string, before: number) =>
    Math.max(...loop.fly.requests.filter((r) => r.method === "GET" && r.path.includes(`/machines/${id}`) && r.end <= before).map((r) => r.end));

  beforeAll(() => loop.start());
  afterAll(() => loop.stop());

  test("rolling create: each machine is created after the one before it started and passed its checks", async () => {
    const result = await deploy("plans-create");
    expect(result.applyErr).not.toMatch(/Error:/);
    expect(result.applyCode).toBe(0);
    const creates = machineWrites(web());
    expect(creates.map((r) => (r.body as { name: string }).name)).toEqual([`${web()}-web-iad-1`, `${web()}-web-iad-2`, `${web()}-web-lhr-1`, `${web()}-web-lhr-2`]);
    for (let i = 1; i < creates.length; i++) {
      const previous = machineIdOf(creates[i - 1], web())!;
      // The double waited for `started` on the previous machine, then read its checks as passing, before this create.
      const waited = loop.fly.requests.filter((r) => r.path === `/v1/apps/${web()}/machines/${previous}/wait` && r.status === 200 && r.end <= creates[i].time);
      expect(waited.length).toBeGreaterThan(0);
      expect(lastWaitEnd(previous, creates[i].time)).toBeLessThanOrEqual(creates[i].time);
    }
    expect(loop.fly.machinesOf(web()).map((m) => m.config?.image)).toEqual([IMAGE_V1, IMAGE_V1, IMAGE_V1, IMAGE_V1]);
  });

  test("secrets: planned with no TF_VAR_* set and applied with marker values, the markers reach Fly and appear in no plan, plan JSON, state, summary, log or output", async () => {
    const app = env.apps.api.name;
    const listed = await loop.get<{ secrets: { name: string; digest: string }[] }>(`/v1/apps/${app}/secrets`);
    expect(Object.fromEntries(listed.secrets.map((s) => [s.name, s.digest]))).toEqual({
      DATABASE_URL: sha256(marker("api_DATABASE_URL")).slice(0, 16),
      SESSION_SECRET: sha256(marker("api_SESSION_SECRET")).slice(0, 16),
    });
    const markers = [marker("api_DATABASE_URL"), marker("api_SESSION_SECRET")];
    const files = loop.filesUnder();
    expect(files.some((f) => f.endsWith(".tfplan"))).toBe(true);
    expect(files.some((f) => f.endsWith(".tfstate"))).toBe(true);
    for (const file of files) {
      const text = fs.readFileSync(file).toString("latin1");
      for (const m of markers) expect({ file, leaked: text.includes(m) }).toEqual({ file, leaked: false });
    }
    for (const text of outputs) for (const m of markers) expect(text).not.toContain(m);
    expect(JSON.stringify(loop.fly.requests)).not.toContain(markers[0]);
  });

  test("an image change rolls the group one machine at a time, each after the previous passed its checks", async () => {
    const since = performance.now();
    env.apps.web.groups.web.image = IMAGE_V2;
    const result = await deploy("plans-image");
    expect(result.applyCode).toBe(0);
    const updates = machineWrites(web(), since);
    const order = updates.map((r) => loop.fly.machine(machineIdOf(r, web())!)?.name);
    expect(order).toEqual([`${web()}-web-iad-1`, `${web()}-web-iad-2`, `${web()}-web-lhr-1`, `${web()}-web-lhr-2`]);
    for (let i = 1; i < updates.length; i++) {
      expect(lastWaitEnd(machineIdOf(updates[i - 1], web())!, updates[i].time)).toBeLessThanOrEqual(updates[i].time);
      // No two machines of the group are in flight at once.
      expect(updates[i].time).toBeGreaterThanOrEqual(updates[i - 1].end);
    }
    expect(loop.fly.machinesOf(web()).map((m) => m.config?.image)).toEqual([IMAGE_V2, IMAGE_V2, IMAGE_V2, IMAGE_V2]);
  });

  test("a 429 with Retry-After and a 500 from Fly are retried: the apply succeeds and the log shows each retry", async () => {
    const since = performance.now();
    const app = env.apps.api.name;
    loop.fly.inject({ method: "POST", path: new RegExp(`^/v1/apps/${app}/machines/[^/]+$`), status: 429, retryAfter: 1 });
    loop.fly.inject({ method: "POST", path: new RegExp(`^/v1/apps/${app}/machines/[^/]+$`), status: 500 });
    env.apps.api.groups.app.env = { RELEASE: "2" };
    const result = await deploy("plans-retry");
    expect(result.applyCode).toBe(0);
    const updates = loop.fly.requests.filter((r) => r.time >= since && r.method === "POST" && new RegExp(`^/v1/apps/${app}/machines/[^/]+$`).test(r.path));
    expect(updates.map((r) => r.status)).toEqual([429, 500, 200]);
    expect(loop.fly.machinesOf(app)[0].config?.env).toEqual({ RELEASE: "2" });
  });

  test("a failing check on the canary stops the roll: the rest stay on the old image", async () => {
    loop.fly.failChecks(web(), (name) => name.endsWith("-web-iad-1"));
    env.apps.web.groups.web.image = IMAGE_V3;
    // The double waits for checks within the provider's fixed 120 s; a check that never passes is shortened to 5 s here.
    const failed = await deploy("plans-canary", { FLYSTACK_DOUBLE_MACHINE_WAIT: "5s" });
    expect(failed.applyCode).toBe(1);
    expect(failed.applyErr).toMatch(/checks did not pass/);
    const byName = new Map(loop.fly.machinesOf(web()).map((m) => [m.name, m.config?.image]));
    expect(byName.get(`${web()}-web-iad-1`)).toBe(IMAGE_V3);
    for (const rest of ["iad-2", "lhr-1", "lhr-2"]) expect(byName.get(`${web()}-web-${rest}`)).toBe(IMAGE_V2);

    // Fixed (checks pass again): the next apply finishes the roll.
    loop.fly.passChecks(web());
    const fixed = await deploy("plans-canary-fixed");
    expect(fixed.applyCode).toBe(0);
    expect(loop.fly.machinesOf(web()).map((m) => m.config?.image)).toEqual([IMAGE_V3, IMAGE_V3, IMAGE_V3, IMAGE_V3]);
  });

  test("a guest change of a stateful group (cpuKind, cpus, memory) updates the machine in place and keeps its volume", async () => {
    const volumeBefore = loop.fly.volumesOf(env.apps.db.name).map((v) => v.id);
    env.apps.db.groups.pg.guest = { cpuKind: "performance", cpus: 2, memoryMb: 4096 };
    const result = await deploy("plans-guest");
    expect(result.applyCode).toBe(0);
    const actions = await plannedActions(loop, "loop", "plans-guest");
    expect(actions.get("fly_volume.db_pg_iad_1")).toEqual(["no-op"]);
    expect(actions.get("fly_machine.db_pg_iad_1")).toEqual(["update"]);
    expect(loop.fly.volumesOf(env.apps.db.name).map((v) => v.id)).toEqual(volumeBefore);
    expect(loop.fly.machinesOf(env.apps.db.name)[0].config?.guest).toMatchObject({ cpu_kind: "performance", cpus: 2, memory_mb: 4096 });
  });

  test("a change that replaces a volume replaces its machine too; in a protected environment the plan is refused", async () => {
    // The Fly volume's name forces a replacement (the logical ID, from app, group, region and index, stays).
    env.apps.db.groups.pg.volume!.name = "pg_main";
    const result = await deploy("plans-volume");
    expect(result.applyCode).toBe(0);
    const actions = await plannedActions(loop, "loop", "plans-volume");
    expect(actions.get("fly_volume.db_pg_iad_1")?.slice().sort()).toEqual(["create", "delete"]);
    expect(actions.get("fly_machine.db_pg_iad_1")?.slice().sort()).toEqual(["create", "delete"]);
    const [machine] = loop.fly.machinesOf(env.apps.db.name);
    const [volume] = loop.fly.volumesOf(env.apps.db.name);
    expect(loop.fly.volumesOf(env.apps.db.name)).toHaveLength(1);
    expect(volume).toMatchObject({ name: "pg_main_iad_1", attached_machine_id: machine.id });

    guarded = { ...guarded, apps: { ...guarded.apps, db: { ...guarded.apps.db, groups: { pg: { ...guarded.apps.db.groups.pg, volume: { ...guarded.apps.db.groups.pg.volume!, name: "pg_main" } } } } } };
    loop.synthesize([env, guarded]);
    const refused = await loop.flystack(["plan", "--skip-synth", "--out", "plans-guarded", "guarded"]);
    expect(refused.code).toBe(1);
    expect(refused.stdout + refused.stderr).toContain("prevent_destroy");
    guarded = loopEnvironment("guarded", { protected: true });
    loop.synthesize([env, guarded]);
  });

  test("outside Terraform: a stopped machine shows in a refresh as `state` only; image, env and guest changes and a certificate renewal are not read back", async () => {
    const stack = "loop";
    // Accept what Fly set after the apply (a new volume's attachment) as the baseline, as a team would.
    await loop.init(stack);
    expect((await loop.terraform(stack, ["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color"])).code).toBe(0);
    expect(await refreshOnly(loop, stack)).toEqual([]);
    const machines = loop.fly.machinesOf(web());
    loop.fly.stopMachineOutOfBand(machines[1].id!);
    expect(await refreshOnly(loop, stack)).toEqual([{ address: "fly_machine.web_web_iad_2", actions: ["update"], changed: ["state"] }]);

    loop.fly.startMachineOutOfBand(machines[1].id!);
    loop.fly.updateMachineOutOfBand(machines[0].id!, { image: IMAGE_V1, env: { INJECTED: "1" }, guest: { cpu_kind: "performance", cpus: 1, memory_mb: 2048 } });
    loop.fly.expireCertificate(env.apps.web.domains![0], -1);
    const refreshed = await refreshOnly(loop, stack);
    // The provider reads a machine's identity only (id, name, instance_id, state, region, private_ip,
    // image_digest): a new instance and digest show, the image, env and guest do not.
    expect(refreshed.map((r) => r.address)).toEqual(["fly_machine.web_web_iad_1"]);
    expect(refreshed[0].changed).not.toContain("image");
    expect(refreshed[0].changed).not.toContain("env");
    expect(refreshed[0].changed).not.toContain("guest");
  });
});
