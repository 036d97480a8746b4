import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildAppFromSources, synthesizeApp } from "../../main";
import staging from "../../environments/staging";
import type { EnvironmentConfig } from "../../src/config/types";

describe("synthesizeApp: the guardrail gate, then the pack at synthesis", () => {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-gate-"));
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  test("the pack reuses the gate's evaluation and still annotates warnings in the manifest", () => {
    // Plain HTTP on port 80 is a FLY009 warning: synthesis passes and the warning is annotated.
    const web = staging.apps.api.groups.web;
    const service = web.services![0];
    const env: EnvironmentConfig = {
      ...staging,
      apps: { ...staging.apps, api: { ...staging.apps.api, groups: { web: { ...web, services: [{ ...service, ports: [...service.ports, { port: 80, handlers: ["http"] }] }] } } } },
    };
    synthesizeApp(buildAppFromSources([{ name: "staging", value: env }], { outdir }));
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: { staging: { annotations: { level: string; message: string }[] } } };
    const warnings = manifest.stacks.staging.annotations.filter((a) => a.message.startsWith("[FLY009]"));
    // One per machine of the group (staging runs two), each once: no second evaluation added duplicates.
    expect(warnings.map((w) => [w.level, w.message.split(":")[0]])).toEqual([
      ["@cdktf/warn", "[FLY009] staging/api/group-web/machine-iad-1"],
      ["@cdktf/warn", "[FLY009] staging/api/group-web/machine-iad-2"],
    ]);
    expect(fs.existsSync(path.join(outdir, "stacks", "staging", "cdk.tf.json"))).toBe(true);
  });
});
