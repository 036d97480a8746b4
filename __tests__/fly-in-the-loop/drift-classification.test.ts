/**
 * `flystack drift` with the real terraform, the provider double and the fake Fly API: right after a
 * clean apply it exits 0 (a volume's attachment, read on the first refresh, is Fly-managed); a
 * machine stopped by autostop is Fly-managed, not drift; an image changed outside Terraform (its
 * digest read back by the refresh) is drift until the environment accepts it, and again once the
 * acceptance expired. Terraform only: the classification is flystack's, not the binary's.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { IMAGE_V2, type LoopEnvironment, loopEnvironment } from "../fixtures/environments";
import type { StackDrift } from "../../src/features/drift/report";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-rc-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

jest.setTimeout(180_000);

const MACHINE = "fly_machine.web_web_iad_1";
const REASON = "hotfix deployed by hand, see INC-123";

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: flystack drift reports only real drift", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers! });
  const env: LoopEnvironment = loopEnvironment("drift");
  const machineNamed = (name: string) => loop.fly.machinesOf(env.apps.web.name).find((m) => m.name === name)!;

  async function drift(): Promise<{ code: number; stacks: StackDrift[]; stderr: string }> {
    const run = await loop.flystack(["drift", "--skip-synth", "--json", "--no-audit"], loop.withoutSecrets());
    let stacks: StackDrift[] = [];
    try {
      stacks = (JSON.parse(run.stdout) as { stacks: StackDrift[] }).stacks;
    } catch {
      throw new Error(`flystack drift printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
    }
    return { code: run.code, stacks, stderr: run.stderr };
  }

  beforeAll(async () => {
    await loop.start();
    loop.synthesize([env]);
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans"], loop.withoutSecrets());
    expect(planned.code).toBe(0);
    const applied = await loop.flystack(["apply", "--plans", "plans"]);
    expect(applied.stderr).not.toMatch(/Error:/);
    expect(applied.code).toBe(0);
  });
  afterAll(() => loop.stop());

  test("right after the apply: exit 0, no drift (the volume's attachment is Fly-managed noise)", async () => {
    const result = await drift();
    expect(result.stacks).toHaveLength(1);
    const [stack] = result.stacks;
    expect({ code: result.code, status: stack.status, drift: stack.drift, pending: stack.pending, accepted: stack.accepted }).toEqual({ code: 0, status: "clean", drift: [], pending: [], accepted: [] });
    expect(stack.noise.map((n) => n.type)).toContain("fly_volume");
    for (const noise of stack.noise) expect(noise).toMatchObject({ type: "fly_volume", attributes: ["attached_machine_id"] });
  });

  test("a machine stopped by autostop: exit 0, the machine listed as Fly-managed (state)", async () => {
    const machine = machineNamed(`${env.apps.web.name}-web-iad-2`);
    loop.fly.stopMachineOutOfBand(machine.id!);
    try {
      const result = await drift();
      const [stack] = result.stacks;
      expect({ code: result.code, status: stack.status, drift: stack.drift }).toEqual({ code: 0, status: "clean", drift: [] });
      expect(stack.noise).toContainEqual({ address: "fly_machine.web_web_iad_2", type: "fly_machine", actions: ["update"], attributes: ["state"] });
    } finally {
      loop.fly.startMachineOutOfBand(machine.id!);
    }
  });

  test("an image changed outside Terraform is drift (image_digest); accepted, exit 0 listed as accepted; expired, drift naming the expiry", async () => {
    loop.fly.updateMachineOutOfBand(machineNamed(`${env.apps.web.name}-web-iad-1`).id!, { image: IMAGE_V2 });

    const raw = await drift();
    expect(raw.code).toBe(2);
    expect(raw.stacks[0].status).toBe("drift");
    expect(raw.stacks[0].drift).toEqual([{ address: MACHINE, type: "fly_machine", actions: ["update"], attributes: ["image_digest"] }]);

    const entry = { address: MACHINE, field: "image_digest", reason: REASON, expires: "2099-12-31" };
    loop.synthesize([{ ...env, acceptedDrift: [entry] }]);
    const accepted = await drift();
    expect({ code: accepted.code, status: accepted.stacks[0].status, drift: accepted.stacks[0].drift }).toEqual({ code: 0, status: "clean", drift: [] });
    expect(accepted.stacks[0].accepted).toEqual([{ address: MACHINE, type: "fly_machine", actions: ["update"], attributes: ["image_digest", "instance_id"], acceptedBy: [entry] }]);
    const markdown = await loop.flystack(["drift", "--skip-synth", "--no-audit"], loop.withoutSecrets());
    expect(markdown.stdout).toContain("### Accepted drift (1)");
    expect(markdown.stdout).toContain(REASON);

    const expiredEntry = { ...entry, expires: "2020-01-01" };
    loop.synthesize([{ ...env, acceptedDrift: [expiredEntry] }]);
    const expired = await drift();
    expect(expired.code).toBe(2);
    expect(expired.stacks[0].accepted).toEqual([]);
    expect(expired.stacks[0].drift).toEqual([{ address: MACHINE, type: "fly_machine", actions: ["update"], attributes: ["image_digest"], expired: [expiredEntry] }]);
    const expiredMarkdown = await loop.flystack(["drift", "--skip-synth", "--no-audit"], loop.withoutSecrets());
    expect(expiredMarkdown.stdout).toContain("acceptance expired `2020-01-01`");
  });
});
