/**
 * The real cloudflare/cloudflare provider, built from source into the local mirror, run by the real
 * terraform through `flystack plan`, `apply` and `drift`, against a fake Cloudflare API on 127.0.0.1.
 * The Go module proxy here refuses ampbase-io/fly and hashicorp/null at any version, so Fly
 * resources and the null_resource release hook are not part of this test; and it refuses
 * cloudflare 5.14.0 (the bindings' version), so the mirror holds the substitute versions.json names.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import { CloudflareProvider } from "../../.gen/providers/cloudflare/provider";
import { DnsRecord } from "../../.gen/providers/cloudflare/dns-record";
import { pinProviders } from "../../stacks/provider-pins";
import { FakeCloudflareApi } from "../fakes/cloudflare-api";
import { flystack } from "../cli/harness";
import { mirroredCloudflare } from "./mirror";
import { SpawnRunner } from "../../src/process/runner";

const mirrored = mirroredCloudflare();
const describeReal = mirrored ? describe : describe.skip;
const ZONE = "0123456789abcdef0123456789abcdef";

/** Synthesizes, with our pins and the Domain construct's record settings, a stack of DNS records. */
function synthesize(project: string, apiUrl: string): void {
  const app = new App({ outdir: path.join(project, "cdktf.out"), stackTraces: false });
  const stack = new TerraformStack(app, "staging");
  new CloudflareProvider(stack, "cloudflare", { baseUrl: apiUrl });
  pinProviders(stack, ["cloudflare"]);
  // The mirror may hold the served substitute rather than the pinned version (see versions.json).
  stack.addOverride("terraform.required_providers.cloudflare.version", mirrored!.version);
  new LocalBackend(stack, { path: path.join(project, "state", "staging.tfstate") });
  // The records as the Domain construct writes them: unproxied, TTL 60, a comment naming the purpose.
  const cname = new DnsRecord(stack, "cname", { zoneId: ZONE, name: "api.staging.example.com", type: "CNAME", content: "acme-api-staging.fly.dev", ttl: 60, proxied: false, comment: "flystack: cname for api.staging.example.com (Fly app api)" });
  cname.overrideLogicalId("api_api_staging_example_com_cname");
  const apex = new DnsRecord(stack, "a", { zoneId: ZONE, name: "example.com", type: "A", content: "203.0.113.10", ttl: 60, proxied: false });
  apex.overrideLogicalId("api_example_com_a");
  app.synth();
}

describeReal(`real cloudflare provider ${mirrored?.version ?? ""} against a fake Cloudflare API`, () => {
  const api = new FakeCloudflareApi();
  const project = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-real-"));
  const env = { TF_CLI_CONFIG_FILE: mirrored?.rc, CLOUDFLARE_API_TOKEN: "fake-token-for-the-fake-api" };

  beforeAll(async () => {
    await api.start();
  });
  afterAll(async () => {
    await api.stop();
    fs.rmSync(project, { recursive: true, force: true });
  });

  test("plan → apply creates the records; a second plan has no changes", async () => {
    synthesize(project, api.url);
    const planned = await flystack(project, ["plan", "--skip-synth"], { env });
    expect(planned.stderr).not.toContain("failed");
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain("Plan: 2 to add, 0 to change, 0 to replace, 0 to destroy.");

    const applied = await flystack(project, ["apply", "--plans", "plans"], { env });
    expect(applied.code).toBe(0);
    expect([...api.records.values()].map((r) => [r.name, r.type, r.content, r.ttl, r.proxied]).sort()).toEqual([
      ["api.staging.example.com", "CNAME", "acme-api-staging.fly.dev", 60, false],
      ["example.com", "A", "203.0.113.10", 60, false],
    ]);
    expect(api.requests.every((r) => r.authorization === "Bearer fake-token-for-the-fake-api")).toBe(true);

    const again = await flystack(project, ["plan", "--skip-synth", "--out", "plans-again"], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("No changes.");
  });

  test("a record changed in Cloudflare outside Terraform is drift: flystack drift exits 2 and names it", async () => {
    const clean = await flystack(project, ["drift", "--skip-synth", "--json"], { env });
    expect(clean.code).toBe(0);

    api.editOutOfBand("api.staging.example.com", { content: "somewhere-else.example.net" });
    const drifted = await flystack(project, ["drift", "--skip-synth", "--json"], { env });
    expect(drifted.code).toBe(2);
    const result = JSON.parse(drifted.stdout) as { stacks: { status: string; drift: { address: string }[]; reverts: { address: string }[]; pending: unknown[] }[] };
    expect(result.stacks[0].status).toBe("drift");
    expect(result.stacks[0].drift.map((d) => d.address)).toEqual(["cloudflare_dns_record.api_api_staging_example_com_cname"]);
    expect(result.stacks[0].reverts.map((d) => d.address)).toEqual(["cloudflare_dns_record.api_api_staging_example_com_cname"]);
    expect(result.stacks[0].pending).toEqual([]);

    // Reverting: plan and apply put the record back as the code says.
    expect((await flystack(project, ["plan", "--skip-synth", "--out", "revert"], { env })).code).toBe(0);
    expect((await flystack(project, ["apply", "--plans", "revert"], { env })).code).toBe(0);
    expect([...api.records.values()].find((r) => r.name === "api.staging.example.com")?.content).toBe("acme-api-staging.fly.dev");
    expect((await flystack(project, ["drift", "--skip-synth"], { env })).code).toBe(0);
  });

  test("destroy removes every record from the fake", async () => {
    // Asynchronously: the fake API answers from this process's event loop, which spawnSync would block.
    const destroyed = await new SpawnRunner().run("terraform", ["destroy", "-auto-approve", "-input=false", "-no-color"], {
      cwd: path.join(project, "cdktf.out", "stacks", "staging"),
      env: { ...process.env, ...env, CHECKPOINT_DISABLE: "1" },
    });
    expect(destroyed.stderr).toBe("");
    expect(destroyed.code).toBe(0);
    expect(api.records.size).toBe(0);
  });
});
