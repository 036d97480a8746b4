/**
 * `flystack plan --reconcile`: after an image changed out of band on one machine, the audit names
 * it and the plan replaces exactly that machine (delete + create), every other resource no-op;
 * applying that plan puts the declared image back in the fake Fly API.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { IMAGE_V2, type LoopEnvironment, loopEnvironment } from "../fixtures/environments";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-rec-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

jest.setTimeout(180_000);

const MACHINE = "fly_machine.web_web_iad_1";

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: flystack plan --reconcile", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env: LoopEnvironment = loopEnvironment("reconcile");
  const web = env.apps.web.name;
  const machine = () => loop.fly.machinesOf(web).find((m) => m.name === `${web}-web-iad-1`)!;
  const apiEnv = () => ({ ...loop.withoutSecrets(), FLYSTACK_FLY_API_URL: loop.flyApiUrl, FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "2000" });

  beforeAll(async () => {
    await loop.start();
    loop.synthesize([env]);
    expect((await loop.flystack(["plan", "--skip-synth", "--out", "plans"], loop.withoutSecrets())).code).toBe(0);
    expect((await loop.flystack(["apply", "--plans", "plans"])).code).toBe(0);
  });
  afterAll(() => loop.stop());

  test("without FLY_API_TOKEN --reconcile fails (exit 1) and says why", async () => {
    const run = await loop.flystack(["plan", "--skip-synth", "--reconcile", "--out", "none"], { ...apiEnv(), FLY_API_TOKEN: undefined });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--reconcile needs FLY_API_TOKEN");
  });

  test("an image changed out of band: exactly that machine is replaced (with Fly's answers in every alternative form at once), and the apply puts the declared image back", async () => {
    const declared = machine().config!.image;
    loop.fly.updateMachineOutOfBand(machine().id!, { image: IMAGE_V2 });
    expect(machine().config!.image).toBe(IMAGE_V2);

    // Autostop booleans, Go durations, omitted defaults, nulls, pages of one…: still only that machine.
    loop.fly.setVariant("everything");
    const planned = await loop.flystack(["plan", "--reconcile", "--skip-synth", "--out", "reconcile"], apiEnv());
    loop.fly.setVariant("canonical");
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain(`reconcile: replacing ${MACHINE}: image: ${IMAGE_V2}`);
    const plan = JSON.parse(fs.readFileSync(path.join(loop.project, "reconcile", "reconcile.plan.json"), "utf8")) as { resource_changes: { address: string; mode: string; change: { actions: string[] } }[] };
    const changes = plan.resource_changes.filter((c) => c.mode === "managed");
    const replaced = changes.find((c) => c.address === MACHINE)!;
    expect([...replaced.change.actions].sort()).toEqual(["create", "delete"]);
    for (const other of changes.filter((c) => c.address !== MACHINE)) expect([other.address, other.change.actions]).toEqual([other.address, ["no-op"]]);

    const applied = await loop.flystack(["apply", "--plans", "reconcile"]);
    expect(applied.code).toBe(0);
    expect(machine().config!.image).toBe(declared);
    const audit = await loop.flystack(["audit", "--skip-synth", "--json"], apiEnv());
    expect(audit.code).toBe(0);
  });

  test("a difference the environment accepts is kept: only the unaccepted machine is replaced", async () => {
    const other = () => loop.fly.machinesOf(web).find((m) => m.name === `${web}-web-lhr-1`)!;
    loop.fly.updateMachineOutOfBand(machine().id!, { env: { ...machine().config!.env, DEBUG: "1" } });
    loop.fly.updateMachineOutOfBand(other().id!, { image: IMAGE_V2 });
    loop.synthesize([{ ...env, acceptedDrift: [{ address: MACHINE, field: "env", reason: "debugging INC-124 with DEBUG=1", expires: "2099-12-31" }] }]);

    const planned = await loop.flystack(["plan", "--reconcile", "--skip-synth", "--out", "accepted"], apiEnv());
    expect(planned.code).toBe(0);
    expect(planned.stderr).toContain(`reconcile: keeping ${MACHINE} env: accepted until 2099-12-31`);
    expect(planned.stderr).toContain(`reconcile: replacing fly_machine.web_web_lhr_1: image: ${IMAGE_V2}`);
    expect(planned.stderr).not.toContain(`replacing ${MACHINE}`);
    const plan = JSON.parse(fs.readFileSync(path.join(loop.project, "accepted", "reconcile.plan.json"), "utf8")) as { resource_changes: { address: string; mode: string; change: { actions: string[] } }[] };
    const changed = plan.resource_changes.filter((c) => c.mode === "managed" && !c.change.actions.includes("no-op")).map((c) => [c.address, [...c.change.actions].sort()]);
    expect(changed).toEqual([["fly_machine.web_web_lhr_1", ["create", "delete"]]]);
  });
});
