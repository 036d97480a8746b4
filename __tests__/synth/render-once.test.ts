/**
 * EnvironmentStack `renderOnce` (what main.ts sets): the stack is prepared and rendered once and the
 * guardrail gate and the writer share it; overrides made after that (the pack's suppression record)
 * are merged in. The files written must be byte-identical to cdktf rendering every time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, TerraformStack } from "cdktf";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { assertNoPolicyErrors } from "../../policies/report";
import { APP_CONTEXT } from "../../main";
import { loopEnvironment } from "../fixtures/environments";
import type { EnvironmentConfig } from "../../src/config/types";

function synthFiles(env: EnvironmentConfig, renderOnce: boolean): Map<string, string> {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-render-once-"));
  try {
    const app = new App({ outdir, stackTraces: false, context: APP_CONTEXT });
    const stacks = env.stacks === "per-app" ? Object.keys(env.apps).map((a) => ({ name: `${env.name}_${a}`, app: a })) : [{ name: env.name, app: undefined }];
    for (const s of stacks) new EnvironmentStack(app, s.name, { environment: env, app: s.app, renderOnce });
    assertNoPolicyErrors(app);
    app.synth();
    const files = new Map<string, string>();
    for (const name of fs.readdirSync(path.join(outdir, "stacks"))) files.set(name, fs.readFileSync(path.join(outdir, "stacks", name, "cdk.tf.json"), "utf8"));
    return files;
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

const withSuppression = (): EnvironmentConfig => {
  const env = loopEnvironment("render");
  return { ...env, apps: { ...env.apps, db: { ...env.apps.db, suppressions: [{ id: "FLY004", reason: "one database machine is enough for this fixture" }] } } };
};

test.each([
  ["one stack, with a suppression recorded after rendering", withSuppression()],
  ["per-app stacks", { ...withSuppression(), stacks: "per-app" as const }],
])("%s: byte-identical to rendering every time", (_name, env) => {
  const once = synthFiles(env, true);
  const every = synthFiles(env, false);
  expect([...once.keys()]).toEqual([...every.keys()]);
  for (const [name, text] of every) expect({ name, text: once.get(name) }).toEqual({ name, text });
  expect([...once.values()].some((t) => t.includes("flystack_policy"))).toBe(true);
});

test("an override holding a token after rendering makes the stack render again", () => {
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "flystack-render-once-")), stackTraces: false, context: APP_CONTEXT });
  const stack = new EnvironmentStack(app, "render", { environment: loopEnvironment("render"), renderOnce: true });
  const rendered = jest.spyOn(TerraformStack.prototype, "toTerraform");
  const first = stack.toTerraform();
  expect(stack.toTerraform()).toEqual(first);
  stack.addOverride("//.note", "plain");
  expect(stack.toTerraform()["//"].note).toBe("plain");
  expect(rendered).toHaveBeenCalledTimes(1);
  stack.addOverride("//.ref", "${fly_app.web.name}");
  const again = stack.toTerraform();
  expect(rendered).toHaveBeenCalledTimes(2);
  expect(again["//"]).toMatchObject({ note: "plain", ref: "${fly_app.web.name}" });
  rendered.mockRestore();
  fs.rmSync(app.outdir, { recursive: true, force: true });
});
