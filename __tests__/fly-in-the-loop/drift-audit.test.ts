/**
 * `flystack drift` runs the audit too (FLY_API_TOKEN set, the fake Fly API's URL): right after the
 * apply it exits 0; an env var added out of band (which Terraform's refresh does not see) is an
 * audit finding, so drift exits 2 and the report names it (app, resource, field); accepted by the
 * environment's acceptedDrift, drift exits 0 and lists it as accepted. (Without a token the Fly
 * provider cannot refresh either: the skipped audit is tested in __tests__/cli/terraform-e2e.test.ts.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { type LoopEnvironment, loopEnvironment } from "../fixtures/environments";
import type { StackDrift } from "../../src/features/drift/report";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-da-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

jest.setTimeout(180_000);

const MACHINE = "fly_machine.web_web_iad_1";
const REASON = "debugging INC-124 with DEBUG=1";

describeEachBinary(binaries, "$name, the provider double and the fake Fly API: flystack drift with the audit", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env: LoopEnvironment = loopEnvironment("driftaudit");
  const web = env.apps.web.name;
  const machine = () => loop.fly.machinesOf(web).find((m) => m.name === `${web}-web-iad-1`)!;
  const apiEnv = () => ({ ...loop.withoutSecrets(), FLYSTACK_FLY_API_URL: loop.flyApiUrl, FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "2000" });

  async function drift(args: string[] = [], extra: Record<string, string | undefined> = {}): Promise<{ code: number; stacks: StackDrift[]; stderr: string; markdown: string }> {
    const run = await loop.flystack(["drift", "--skip-synth", "--json", "--report", "drift.md", ...args], { ...apiEnv(), ...extra });
    let stacks: StackDrift[] = [];
    try {
      stacks = (JSON.parse(run.stdout) as { stacks: StackDrift[] }).stacks;
    } catch {
      throw new Error(`flystack drift printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
    }
    return { code: run.code, stacks, stderr: run.stderr, markdown: fs.readFileSync(path.join(loop.project, "drift.md"), "utf8") };
  }

  beforeAll(async () => {
    await loop.start();
    loop.synthesize([env]);
    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans"], loop.withoutSecrets());
    expect(planned.code).toBe(0);
    const applied = await loop.flystack(["apply", "--plans", "plans"]);
    expect(applied.code).toBe(0);
  });
  afterAll(() => loop.stop());

  test("right after the apply: exit 0, Terraform and the audit clean", async () => {
    const result = await drift();
    expect(result.stacks).toHaveLength(1);
    expect({ code: result.code, status: result.stacks[0].status, drift: result.stacks[0].drift, audit: result.stacks[0].audit }).toEqual({ code: 0, status: "clean", drift: [], audit: { status: "clean", findings: [] } });
    expect(result.markdown).toContain("### Fly audit: clean");
  });

  test("an env var added out of band: Terraform sees nothing, the audit does (exit 2, named in the report); accepted, exit 0", async () => {
    loop.fly.updateMachineOutOfBand(machine().id!, { env: { ...machine().config!.env, DEBUG: "1" } });

    const found = await drift();
    expect(found.code).toBe(2);
    const [stack] = found.stacks;
    expect({ status: stack.status, drift: stack.drift, pending: stack.pending }).toEqual({ status: "drift", drift: [], pending: [] });
    expect(stack.audit?.status).toBe("drift");
    expect(stack.audit?.findings).toEqual([expect.objectContaining({ app: web, resource: MACHINE, field: "env", actual: "added DEBUG", severity: "drift" })]);
    expect(found.markdown).toContain("### Fly audit: 1 finding");
    expect(found.markdown).toMatch(new RegExp(`\\| drift \\| \`${web}\` \\| \`${MACHINE}\` \\| \`env\` \\|`));

    const noAudit = await drift(["--no-audit"]);
    expect({ code: noAudit.code, audit: noAudit.stacks[0].audit }).toEqual({ code: 0, audit: { status: "skipped", findings: [], reason: "--no-audit" } });

    const entry = { address: MACHINE, field: "env", reason: REASON, expires: "2099-12-31" };
    loop.synthesize([{ ...env, acceptedDrift: [entry] }]);
    const accepted = await drift();
    expect(accepted.code).toBe(0);
    expect(accepted.stacks[0].status).toBe("clean");
    expect(accepted.stacks[0].audit).toEqual({ status: "clean", findings: [], accepted: [expect.objectContaining({ resource: MACHINE, field: "env", acceptedBy: [entry] })] });
    expect(accepted.markdown).toContain("### Accepted audit findings (1)");
    expect(accepted.markdown).toContain(REASON);

    loop.synthesize([{ ...env, acceptedDrift: [{ ...entry, expires: "2020-01-01" }] }]);
    expect((await drift()).code).toBe(2);
  });
});
