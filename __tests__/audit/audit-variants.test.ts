/**
 * The audit under every form Fly's answers come in (fakes/README.md): one environment deployed with
 * real terraform and the provider double, then audited with the fake answering in each variant. In
 * each, the deployed environment audits clean, and every out-of-band change (./out-of-band.ts) is
 * still found, naming the same app, resource and field.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeEachBinary, realBinaries } from "../cli/harness";
import { loopProviders } from "../fly-in-the-loop/providers";
import { Loop } from "../fly-in-the-loop/loop";
import { VARIANT_NAMES } from "../fakes/fly-api/variants";
import type { Finding } from "../../src/features/audit/types";
import { auditEnvironment, outOfBandCases } from "./out-of-band";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-audit-variants-"));
const providers = loopProviders(work);
const binaries = providers ? realBinaries().slice(0, 1) : [];
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

interface AuditJson {
  stacks: { stack: string; status: string; findings: Finding[]; error?: string }[];
}

describeEachBinary(binaries, "$name: the audit reads every form of Fly's answers", ({ binary }) => {
  const loop = new Loop({ binary, providers: providers!, startDelayMs: 5 });
  const env = auditEnvironment("forms");
  const cases = outOfBandCases(loop, env);

  async function audit(): Promise<{ code: number; findings: Finding[]; error?: string }> {
    const run = await loop.flystack(["audit", "--skip-synth", "--json"], { FLYSTACK_FLY_API_RETRY_BASE_MS: "10", FLYSTACK_FLY_API_TIMEOUT_MS: "5000" });
    const json = JSON.parse(run.stdout) as AuditJson;
    return { code: run.code, findings: json.stacks.flatMap((s) => s.findings), error: json.stacks.find((s) => s.error)?.error };
  }

  beforeAll(async () => {
    await loop.start();
    await loop.deploy([env]);
  });
  afterAll(() => loop.stop());
  afterEach(() => loop.fly.setVariant("canonical"));

  describe.each(VARIANT_NAMES)("answers in the %s forms", (variant) => {
    beforeEach(() => loop.fly.setVariant(variant));

    test("the deployed environment audits clean, with an autostopped machine where the code allows it", async () => {
      expect(await audit()).toEqual({ code: 0, findings: [], error: undefined });
      const idle = loop.fly.machinesOf(env.apps.web.name).find((m) => m.name?.endsWith("-idle-iad-1"))!;
      loop.fly.stopMachineOutOfBand(idle.id!);
      try {
        expect(await audit()).toEqual({ code: 0, findings: [], error: undefined });
      } finally {
        loop.fly.startMachineOutOfBand(idle.id!);
      }
    });

    test.each(cases)("$name is found", async ({ change, undo, expected }) => {
      await change();
      const wanted = Array.isArray(expected) ? expected : [expected];
      try {
        const result = await audit();
        expect({ code: result.code, error: result.error }).toEqual({ code: 2, error: undefined });
        expect(result.findings).toEqual(wanted.map((w) => expect.objectContaining({ ...w, severity: "drift" })));
      } finally {
        await undo();
      }
    });
  });
});
