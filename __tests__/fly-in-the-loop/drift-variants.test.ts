/**
 * `flystack drift` under every form Fly's answers come in (fakes/README.md): Terraform's plans (the
 * provider double reads the fake too) and the audit. In each variant an env var added out of band is
 * the one finding: Terraform sees nothing, the audit names it. Drift is clean in the canonical and the
 * combined forms. And a drift whose audit waits on an API that never answers ends promptly on SIGTERM
 * (143) once Terraform's plans are done, with nothing running.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { VARIANT_NAMES } from "../fakes/fly-api/variants";
import { auditEnvironment } from "../audit/out-of-band";
import type { StackDrift } from "../../src/features/drift/report";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-loop-drift-variants-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().filter((b) => b.name === "terraform") : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

const FLYSTACK = path.join(__dirname, "..", "..", "bin", "flystack");

describeEachBinary(binaries, "$name: flystack drift reads every form of Fly's answers", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = auditEnvironment("driftforms");
  const web = env.apps.web.name;
  const machine = () => loop.fly.machinesOf(web).find((m) => m.name === `${web}-web-iad-1`)!;

  async function drift(): Promise<{ code: number; stack: StackDrift }> {
    const run = await loop.flystack(["drift", "--skip-synth", "--json", "--require-audit"], { ...loop.withoutSecrets(), FLYSTACK_FLY_API_RETRY_BASE_MS: "10" });
    try {
      return { code: run.code, stack: (JSON.parse(run.stdout) as { stacks: StackDrift[] }).stacks[0] };
    } catch {
      throw new Error(`flystack drift printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
    }
  }

  beforeAll(async () => {
    await loop.start();
    await loop.deploy([env]);
  });
  afterAll(() => loop.stop());
  afterEach(() => loop.fly.setVariant("canonical"));

  test.each(["canonical", "everything"] as const)("clean in the %s forms: exit 0, Terraform and the audit", async (variant) => {
    loop.fly.setVariant(variant);
    const { code, stack } = await drift();
    expect({ code, status: stack.status, drift: stack.drift, pending: stack.pending, audit: stack.audit }).toEqual({ code: 0, status: "clean", drift: [], pending: [], audit: { status: "clean", findings: [] } });
  });

  describe("an env var added out of band", () => {
    beforeAll(() => loop.fly.updateMachineOutOfBand(machine().id!, { env: { ...machine().config!.env, DEBUG: "1" } }));
    afterAll(() => {
      const { DEBUG: _debug, ...rest } = machine().config!.env ?? {};
      loop.fly.updateMachineOutOfBand(machine().id!, { env: rest });
    });

    test.each(VARIANT_NAMES)("is the one finding with answers in the %s forms", async (variant) => {
      loop.fly.setVariant(variant);
      const { code, stack } = await drift();
      expect({ code, drift: stack.drift, pending: stack.pending, error: stack.error }).toEqual({ code: 2, drift: [], pending: [], error: undefined });
      expect(stack.audit?.findings).toEqual([expect.objectContaining({ app: web, resource: "fly_machine.web_web_iad_1", field: "env", actual: "added DEBUG", severity: "drift" })]);
    });
  });

  test("SIGTERM while the audit waits on an API that never answers: exit 143 at once, nothing left running", async () => {
    const silent = http.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const child = spawn(process.execPath, [FLYSTACK, "drift", "--skip-synth", "--require-audit"], {
        cwd: loop.project,
        env: { ...process.env, ...loop.env(loop.withoutSecrets()), FLYSTACK_FLY_API_URL: url, FLYSTACK_FLY_API_TIMEOUT_MS: "60000", FLYSTACK_FLY_API_TOTAL_MS: "120000" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8");
      const auditing = new Promise<void>((resolve) =>
        child.stderr.on("data", (chunk: string) => {
          stderr += chunk;
          if (/\] audit…/.test(stderr)) resolve();
        }),
      );
      const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
      await auditing;
      await new Promise((resolve) => setTimeout(resolve, 300));
      const signalled = Date.now();
      child.kill("SIGTERM");
      const code = await exited;
      expect({ code, withinMs: Date.now() - signalled < 3000 }).toEqual({ code: 143, withinMs: true });
      expect(stderr).toContain("flystack: SIGTERM received: stopping (no program was running");
      expect(stderr).toMatch(/flystack drift: interrupted by SIGTERM while no program was running/);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
