/**
 * `stacks: "per-app"`: one stack per app named `<environment>_<app key>`, state at
 * `<project>/<environment>/<app key>.tfstate`, and inside each stack exactly the addresses the
 * app has in the environment's single stack.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { buildAppFromSources, synthesizeApp } from "../../main";
import { loopEnvironment } from "../fixtures/environments";
import type { EnvironmentConfig } from "../../src/config/types";
import { environmentOfStack } from "../../stacks/stack-names";
import { selectStacks } from "../../cli/stacks";
import { diagramPages } from "../../cli/commands/diagram";

type Json = { resource?: Record<string, Record<string, unknown>>; output?: Record<string, unknown>; terraform: { backend: Record<string, { key?: string; path?: string }> }; "//": { flystack: Record<string, unknown> } };

function synth(env: EnvironmentConfig): Map<string, Json> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-per-app-"));
  try {
    synthesizeApp(buildAppFromSources([{ name: env.name, value: env }], { outdir, state: { backend: "s3", bucket: "state" } }));
    const names = fs.readdirSync(path.join(outdir, "stacks")).sort();
    return new Map(names.map((n) => [n, JSON.parse(fs.readFileSync(path.join(outdir, "stacks", n, "cdk.tf.json"), "utf8")) as Json]));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const addresses = (json: Json) => Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)).sort();

describe("per-app stacks", () => {
  const env = loopEnvironment("perapp");
  const single = synth(env).get("perapp")!;
  const perApp = synth({ ...env, stacks: "per-app" });

  test("one stack per app, named <environment>_<app key>, each with its own state key and metadata", () => {
    expect([...perApp.keys()]).toEqual(["perapp_api", "perapp_db", "perapp_web"]);
    for (const [name, json] of perApp) {
      const app = name.split("_")[1];
      expect(json.terraform.backend.s3.key).toBe(`loop/perapp/${app}.tfstate`);
      expect(json["//"].flystack).toMatchObject({ environment: "perapp", app, protected: false });
      expect(environmentOfStack(name)).toBe("perapp");
    }
    expect(single.terraform.backend.s3.key).toBe("loop/perapp/perapp.tfstate");
  });

  test("addresses stay the same: the per-app stacks hold exactly the single stack's resources and outputs, each once", () => {
    const all = [...perApp.values()].flatMap(addresses);
    expect(all.sort()).toEqual(addresses(single));
    expect(new Set(all).size).toBe(all.length);
    const outputs = [...perApp.values()].flatMap((j) => Object.keys(j.output ?? {})).sort();
    expect(outputs).toEqual(Object.keys(single.output ?? {}).sort());
    for (const [name, json] of perApp) expect(addresses(json).every((a) => a.split(".")[1].startsWith(`${name.split("_")[1]}_`) || a.startsWith(`fly_app.${name.split("_")[1]}`))).toBe(true);
  });

  test("an environment name selects all its stacks; a stack name, one", () => {
    const manifest = [...perApp.keys(), "other"].map((name) => ({ name, dir: name, dependencies: [] }));
    expect(selectStacks(manifest, ["perapp"]).map((s) => s.name)).toEqual(["perapp_api", "perapp_db", "perapp_web"]);
    expect(selectStacks(manifest, ["perapp_db"]).map((s) => s.name)).toEqual(["perapp_db"]);
    expect(selectStacks(manifest, ["perapp_w*"]).map((s) => s.name)).toEqual(["perapp_web"]);
  });

  test("the diagram draws an environment's per-app stacks on one page, as it draws the single stack", () => {
    const one = diagramPages([{ name: "perapp", json: single }]);
    const many = diagramPages([...perApp].map(([name, json]) => ({ name, json })));
    expect([...many.keys()]).toEqual(["perapp.md"]);
    expect(many.get("perapp.md")).toBe(one.get("perapp.md"));
  });
});
