/**
 * The proof that moving to CDK Terrain costs nothing (.ci/run runs it with a migrated copy): an
 * environment applied with the CDKTF line (real terraform, the provider double, the fake Fly API)
 * is synthesized again by the copy on the CDK Terrain line, on Node 22; the JSON is the same bytes
 * apart from "//".metadata.version, and a plan against the state the CDKTF line wrote has no change.
 *
 *   FLYSTACK_LINE_PROOF_COPY=<migrated copy> FLYSTACK_LINE_PROOF_NODE=<node 22> npx jest __tests__/fly-in-the-loop/line-proof.test.ts
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { realBinaries } from "../cli/harness";
import { loopProviders } from "./providers";
import { Loop } from "./loop";
import { loopEnvironment } from "../fixtures/environments";

const copy = process.env.FLYSTACK_LINE_PROOF_COPY;
const node = process.env.FLYSTACK_LINE_PROOF_NODE;
const work = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-line-proof-"));
const providers = copy && node ? loopProviders(work) : undefined;
const terraform = providers ? realBinaries().find((b) => b.name === "terraform") : undefined;
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
jest.setTimeout(300_000);

const describeProof = copy && node && terraform ? describe : describe.skip;
if (!copy || !node) console.warn("SKIPPED: the line proof runs in .ci/run, with FLYSTACK_LINE_PROOF_COPY (a copy migrated by flystack migrate cdktn) and FLYSTACK_LINE_PROOF_NODE (Node 22)");

describeProof("state written by the CDKTF line, planned by the CDK Terrain line", () => {
  const loop = new Loop({ binary: terraform?.binary ?? "terraform", providers: providers!, startDelayMs: 5 });
  const env = loopEnvironment("lineproof");
  beforeAll(() => loop.start());
  afterAll(() => loop.stop());

  test("the same bytes apart from the library version, and no change to plan", async () => {
    await loop.deploy([env]);
    const file = path.join(loop.project, "cdktf.out", "stacks", env.name, "cdk.tf.json");
    const cdktf = fs.readFileSync(file, "utf8");
    expect(JSON.parse(cdktf)["//"].metadata.version).toBe("0.21.0");

    const args = path.join(work, "args.json");
    fs.writeFileSync(args, JSON.stringify({ project: loop.project, environments: [env], flyApiUrl: loop.flyApiUrl, cloudflareApiUrl: loop.cloudflare.url, providers }));
    const synth = spawnSync(node!, [path.join(copy!, "node_modules", "tsx", "dist", "cli.mjs"), path.join(copy!, "__tests__", "fly-in-the-loop", "synthesize-cli.ts"), args], { cwd: copy, encoding: "utf8", timeout: 180_000 });
    expect({ status: synth.status, stderr: synth.status === 0 ? "" : synth.stderr.slice(-3000) }).toEqual({ status: 0, stderr: "" });
    const cdktn = fs.readFileSync(file, "utf8");
    expect(JSON.parse(cdktn)["//"].metadata.version).toBe("0.24.0");
    expect(cdktn.replace('"version": "0.24.0"', '"version": "0.21.0"')).toBe(cdktf);

    const planned = await loop.flystack(["plan", "--skip-synth", "--out", "plans-cdktn"], loop.withoutSecrets());
    expect({ code: planned.code, stderr: planned.code === 0 ? "" : planned.stderr.slice(-3000) }).toEqual({ code: 0, stderr: "" });
    const summary = JSON.parse(fs.readFileSync(path.join(loop.project, "plans-cdktn", "summary.json"), "utf8")) as { stacks: { stack: string; status: string }[] };
    expect(summary.stacks).toEqual([expect.objectContaining({ stack: env.name, status: "no-changes" })]);
    console.info(`line proof: ${env.name} synthesized by cdktn ${cdktn.length} bytes, identical to cdktf's apart from "//".metadata.version; plan on cdktf's state: ${summary.stacks[0].status}`);
  });
});
