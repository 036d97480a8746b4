/**
 * Every shipped environment (whatever environments/ holds) through the real terraform and tofu,
 * the provider double and the fake Fly and Cloudflare APIs: init and validate; flystack plan and
 * apply create every resource in the fakes; a second plan has no changes; flystack drift is clean (exit 0);
 * a protected environment refuses destroy; destroy empties the fakes. The assertions are about
 * what flystack promises, never about the example environments' contents.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop, refreshOnly } from "./loop";
import { addressesOf, environmentsIn } from "./synthesize";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-rc-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries() : [];
if (providers?.dnsLeftOut) console.warn(`NOTE: ${providers.dnsLeftOut}`);
const environments = environmentsIn();
const FLY_TYPES = ["fly_app", "fly_machine", "fly_volume", "fly_ip", "fly_secret", "fly_cert", "fly_cert_validation"];

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describeEachBinary(binaries, "$name, the provider double and the fake APIs: every shipped environment", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers! });

  beforeAll(async () => {
    await loop.start();
    loop.synthesize(environments);
  });
  afterAll(() => loop.stop());

  test.each(environments.map((e) => e.name))("%s: init and validate pass", async (stack) => {
    const init = await loop.terraform(stack, ["init", "-input=false", "-no-color"]);
    expect(init.stderr).toBe("");
    expect(init.code).toBe(0);
    const validate = await loop.terraform(stack, ["validate", "-no-color"]);
    expect(validate.stdout).toContain("The configuration is valid.");
    expect(validate.code).toBe(0);
  });

  test("flystack plan and apply create every resource in the fakes; a second plan has no changes", async () => {
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans"]);
    expect(planned.stderr).not.toMatch(/Error|failed/);
    expect(planned.code).toBe(0);

    const applied = await loop.flystack(["apply", "--plans", "plans"]);
    expect(applied.stderr).not.toMatch(/Error:/);
    expect(applied.code).toBe(0);

    for (const env of environments) {
      const state = await loop.state(env.name);
      // Everything the stack declares is in state (Cloudflare records only when the run has the provider).
      const declared = addressesOf(loop.project, env.name);
      expect([...state.keys()].sort()).toEqual(declared.sort());

      for (const [address, values] of state) {
        const type = address.split(".")[0];
        if (!FLY_TYPES.includes(type)) continue;
        const app = String(values.app ?? values.name);
        switch (type) {
          case "fly_app":
            expect(loop.fly.appNames()).toContain(values.name);
            break;
          case "fly_machine": {
            const machine = loop.fly.machine(String(values.id));
            expect(machine).toMatchObject({ name: values.name, region: values.region, state: "started" });
            break;
          }
          case "fly_volume":
            expect(loop.fly.volume(String(values.id))).toMatchObject({ name: values.name, region: values.region, size_gb: values.size_gb, encrypted: true });
            break;
          case "fly_ip": {
            const ips = await loop.get<{ ips: { ip: string }[] }>(`/v1/apps/${app}/ip_assignments`);
            expect(ips.ips.map((i) => i.ip)).toContain(values.address);
            break;
          }
          case "fly_secret": {
            const secrets = await loop.get<{ secrets: { name: string }[] }>(`/v1/apps/${app}/secrets`);
            expect(secrets.secrets.map((s) => s.name)).toContain(values.name);
            break;
          }
          case "fly_cert":
          case "fly_cert_validation":
            if (type === "fly_cert") {
              const cert = await loop.get<{ hostname: string; configured: boolean }>(`/v1/apps/${app}/certificates/${encodeURIComponent(String(values.hostname))}`);
              expect(cert).toMatchObject({ hostname: values.hostname, configured: true });
            }
            break;
        }
      }
      // Each release hook ran its command once, through flyctl (the stand-in records the calls).
      const flyctlCalls = fs.existsSync(loop.flyctlLog) ? fs.readFileSync(loop.flyctlLog, "utf8").trim().split("\n") : [];
      const appNames = [...state.entries()].filter(([a]) => a.startsWith("fly_app.")).map(([, v]) => String(v.name));
      for (const [address, values] of state) {
        if (!address.startsWith("null_resource.")) continue;
        const { image, command } = values.triggers as { image: string; command: string };
        // `machine run IMAGE --app APP --region R --rm [--env K=V…] [--vm-…] -- COMMAND`
        const ran = flyctlCalls.filter((call) => call.startsWith(`machine run ${image} --app `) && call.endsWith(` -- ${command}`) && appNames.includes(call.split(" --app ")[1].split(" ")[0]));
        expect({ address, ran: ran.length }).toEqual({ address, ran: 1 });
      }
      // Every machine in the fake is one the stack declared: nothing created twice, nothing stray.
      const machines = [...state.entries()].filter(([a]) => a.startsWith("fly_machine."));
      expect(appNames.flatMap((a) => loop.fly.machinesOf(a)).length).toBe(machines.length);
    }

    const again = await loop.flystack(["plan", "--skip-synth", "--out", "plans-again"]);
    expect(again.code).toBe(0);
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "plans-again", "summary.json"), "utf8")) as { stacks: { stack: string; status: string }[] };
    expect(summary.stacks.map((s) => [s.stack, s.status])).toEqual(environments.map((e) => [e.name, "no-changes"]));
  });

  test("right after the apply a refresh reads back only what Fly itself set later (a volume's attachment); flystack drift is clean (exit 0), listing it as Fly-managed", async () => {
    // A volume is created before the machine that mounts it, so its attached_machine_id is read only on
    // the next refresh: the real provider shows the same (it refreshes that field). Nothing else differs.
    const FLY_SET_LATER: Record<string, string[]> = { fly_volume: ["attached_machine_id"] };
    for (const env of environments) {
      for (const change of await refreshOnly(loop, env.name)) {
        const type = change.address.split(".")[0];
        expect({ address: change.address, changed: change.changed.filter((a) => !(FLY_SET_LATER[type] ?? []).includes(a)) }).toEqual({ address: change.address, changed: [] });
      }
    }
    const drift = await loop.flystack(["drift", "--skip-synth", "--json"]);
    const result = JSON.parse(drift.stdout) as { stacks: { stack: string; status: string; drift: unknown[]; pending: unknown[]; noise: { type: string; attributes: string[] }[]; accepted: unknown[] }[] };
    expect(result.stacks.map((s) => s.stack)).toEqual(environments.map((e) => e.name));
    for (const stack of result.stacks) {
      expect({ stack: stack.stack, status: stack.status, drift: stack.drift, pending: stack.pending, accepted: stack.accepted }).toEqual({ stack: stack.stack, status: "clean", drift: [], pending: [], accepted: [] });
      for (const noise of stack.noise) expect(FLY_SET_LATER[noise.type]).toEqual(expect.arrayContaining(noise.attributes));
    }
    expect(drift.code).toBe(0);
  });

  test("destroy: a protected environment refuses (prevent_destroy); unprotected, destroy empties the fakes", async () => {
    for (const env of environments.filter((e) => e.protected)) {
      const refused = await loop.terraform(env.name, ["destroy", "-auto-approve", "-input=false", "-no-color"]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain("prevent_destroy");
    }
    // Lift the protection, as a team deliberately retiring an environment would, and destroy everything.
    loop.synthesize(environments.map((e) => ({ ...e, protected: false })));
    for (const env of environments) {
      expect((await loop.terraform(env.name, ["init", "-input=false", "-no-color"])).code).toBe(0);
      const destroyed = await loop.terraform(env.name, ["destroy", "-auto-approve", "-input=false", "-no-color"]);
      expect(destroyed.stderr).toBe("");
      expect(destroyed.code).toBe(0);
    }
    expect(loop.fly.appNames()).toEqual([]);
    expect(loop.cloudflare.records.size).toBe(0);
  });
});
