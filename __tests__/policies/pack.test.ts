import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, Aspects, Testing } from "cdktf";
import { FlyApp } from "../../constructs/fly-app";
import { configureBackend } from "../../stacks/backend";
import { pinProviders } from "../../stacks/provider-pins";
import { FlystackRules, POLICY_METADATA_KEY } from "../../policies/pack";
import { readSynthesizedReport } from "../../policies/report";
import { suppress } from "../../policies/suppressions";
import { IMAGE, machine, testStack } from "./helpers";

let outdir: string;
beforeEach(() => {
  outdir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-pack-"));
});
afterEach(() => fs.rmSync(outdir, { recursive: true, force: true }));

/** A flystack-like stack (pinned providers, local state) holding one app with one public group. */
function stackWithApp(app: App, id: string, options: { protected: boolean; count: number; plainHttp?: boolean }) {
  const { stack } = testStack({ app, id, protected: options.protected });
  pinProviders(stack);
  configureBackend(stack, { backend: "local" }, `${id}.tfstate`);
  Aspects.of(stack).add(new FlystackRules());
  const flyApp = new FlyApp(stack, "api", {
    appKey: "api",
    name: `acme-api-${id}`,
    org: "acme",
    environment: id,
    protected: options.protected,
    groups: {
      web: {
        image: IMAGE,
        guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
        regions: ["iad"],
        count: options.count,
        services: [
          {
            internalPort: 8080,
            ports: [{ port: 443, handlers: ["tls", "http"] }, ...(options.plainHttp ? [{ port: 80, handlers: ["http" as const] }] : [])],
            checks: [{ type: "http", path: "/health" }],
          },
        ],
      },
    },
  });
  return { stack, flyApp };
}

const annotationsOf = (app: App) =>
  app.node.findAll().flatMap((c) => c.node.metadata.filter((m) => m.type.startsWith("@cdktf/")).map((m) => ({ path: c.node.path, type: m.type, data: m.data as string })));

describe("FlystackRules (aspect)", () => {
  test("an error finding makes app.synth() throw, naming rule, construct and message", () => {
    const app = new App({ outdir, stackTraces: false });
    stackWithApp(app, "production", { protected: true, count: 1 });
    expect(() => app.synth()).toThrow(
      /\[FLY004\] production\/api\/group-web\/machine-iad-1: public process group "web" of app fly_app\.api runs 1 machine in its primary region iad .* — With one machine/,
    );
    expect(fs.existsSync(path.join(outdir, "stacks", "production", "cdk.tf.json"))).toBe(false);
  });

  test("warnings are annotations: synthesis succeeds and manifest.json lists them", () => {
    const app = new App({ outdir, stackTraces: false });
    stackWithApp(app, "staging", { protected: false, count: 1, plainHttp: true });
    app.synth();
    expect(readSynthesizedReport(outdir)).toEqual({
      findings: [
        {
          stack: "staging",
          ruleId: "FLY009",
          level: "warning",
          path: "staging/api/group-web/machine-iad-1",
          message: "fly_machine.api_web_iad_1 service[0] port 80 has handlers [http] without tls: plain HTTP with no redirect",
        },
      ],
      suppressions: [],
    });
  });

  test("suppressions are recorded in the stack's cdk.tf.json and read back", () => {
    const app = new App({ outdir, stackTraces: false });
    const { flyApp } = stackWithApp(app, "staging", { protected: false, count: 1, plainHttp: true });
    suppress(flyApp, [{ id: "FLY009", reason: "the app redirects using X-Forwarded-Proto" }]);
    app.synth();
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "staging", "cdk.tf.json"), "utf8"));
    expect(json["//"][POLICY_METADATA_KEY]).toEqual({
      suppressions: [{ ruleId: "FLY009", path: "staging/api", reason: "the app redirects using X-Forwarded-Proto" }],
    });
    expect(json["//"].flystack).toEqual({ environment: "staging", protected: false });
    expect(readSynthesizedReport(outdir)).toEqual({
      findings: [],
      suppressions: [{ stack: "staging", ruleId: "FLY009", path: "staging/api", reason: "the app redirects using X-Forwarded-Proto" }],
    });
  });

  test("under the cdktf CLI (CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS) errors land in manifest.json for `cdktf synth` to print and fail on", () => {
    const previous = process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
    process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = "true";
    try {
      const app = new App({ outdir, stackTraces: false });
      stackWithApp(app, "production", { protected: true, count: 1 });
      app.synth();
    } finally {
      if (previous === undefined) delete process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS;
      else process.env.CDKTF_CONTINUE_SYNTH_ON_ERROR_ANNOTATIONS = previous;
    }
    expect(readSynthesizedReport(outdir).findings.map((f) => [f.ruleId, f.level, f.path])).toEqual([["FLY004", "error", "production/api/group-web/machine-iad-1"]]);
  });

  test("synthesizing twice annotates once", () => {
    const app = new App({ outdir, stackTraces: false });
    const { stack } = stackWithApp(app, "staging", { protected: false, count: 1, plainHttp: true });
    Testing.synth(stack);
    app.synth();
    expect(annotationsOf(app).map((a) => [a.path, a.type])).toEqual([["staging/api/group-web/machine-iad-1", "@cdktf/warn"]]);
  });

  test("annotation text: [rule] path: message — why", () => {
    const app = Testing.app({ stackTraces: false });
    const { stack } = testStack({ app, protected: false });
    pinProviders(stack);
    machine(stack, "m", { env: { API_TOKEN: "x" } });
    Aspects.of(stack).add(new FlystackRules());
    Testing.synth(stack);
    expect(annotationsOf(app).map((a) => a.data)).toEqual([
      "[FLY007] test/m: fly_machine.m env API_TOKEN: its name contains TOKEN; declare it as a secret — Plain env is readable in config, plans, state and machine status; credentials belong in the app's write-only secrets.",
    ]);
  });
});
