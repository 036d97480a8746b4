import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Aspects } from "cdktf";
import { buildApp } from "../../main";
import { FlystackRules } from "../../policies/pack";
import { collectReport, readSynthesizedReport } from "../../policies/report";

const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-policies-shipped-"));
afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

describe("the shipped environments pass the guardrails", () => {
  test("no finding at all (errors or warnings), and no suppression", () => {
    const { app } = buildApp({ outdir });
    expect(collectReport(app)).toEqual({ findings: [], suppressions: [] });
  });

  test("synthesis with the pack registered succeeds and records no finding", () => {
    const { app, stacks } = buildApp({ outdir });
    // Registered by EnvironmentStack once wired; added here only when it is not, never twice.
    for (const stack of stacks) {
      if (!Aspects.of(stack).all.some((aspect) => aspect instanceof FlystackRules)) Aspects.of(stack).add(new FlystackRules());
    }
    app.synth();
    expect(readSynthesizedReport(outdir)).toEqual({ findings: [], suppressions: [] });
  });
});
