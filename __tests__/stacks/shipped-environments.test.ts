import * as path from "node:path";
import { Testing } from "cdktf";
import { buildApp } from "../../main";
import versions from "../../providers/versions.json";

interface StackJson {
  readonly "//"?: unknown;
  readonly terraform: { required_version: string; required_providers: Record<string, { source: string; version: string }>; backend: Record<string, Record<string, unknown>> };
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly variable: Record<string, Record<string, unknown>>;
  readonly output: Record<string, unknown>;
}

const built = buildApp({ environmentsDir: path.join(__dirname, "..", "..", "environments") });
const synthesized: Record<string, StackJson> = Object.fromEntries(
  built.stacks.map((stack) => [stack.node.id, JSON.parse(Testing.synth(stack)) as StackJson]),
);
const addresses = (json: StackJson, type: string) => Object.keys(json.resource[type] ?? {}).sort();

describe("shipped environments", () => {
  test("one stack per environment file", () => {
    expect(Object.keys(synthesized).sort()).toEqual(["production", "staging"]);
  });

  test.each(["staging", "production"])("%s holds every resource type the platform uses", (name) => {
    expect(Object.keys(synthesized[name].resource).sort()).toEqual([
      "cloudflare_dns_record",
      "fly_app",
      "fly_cert",
      "fly_cert_validation",
      "fly_ip",
      "fly_machine",
      "fly_secret",
      "fly_volume",
      "null_resource",
    ]);
  });

  test.each(["staging", "production"])("%s: Terraform >= 1.11 and every provider pinned from providers/versions.json", (name) => {
    const tf = synthesized[name].terraform;
    expect(tf.required_version).toBe(">= 1.11.0");
    expect(tf.required_providers).toEqual({
      fly: { source: versions.fly.source, version: versions.fly.constraint },
      cloudflare: { source: versions.cloudflare.source, version: versions.cloudflare.constraint },
      null: { source: versions.null.source, version: versions.null.constraint },
    });
  });

  test.each(["staging", "production"])("%s: remote state is encrypted and locked", (name) => {
    expect(synthesized[name].terraform.backend.s3).toMatchObject({ encrypt: true, use_lockfile: true, key: `acme/${name}/${name}.tfstate` });
  });

  // Logical IDs of stateful resources are the keys of state: a change here destroys and recreates
  // live apps, volumes, certificates or DNS records. Change them only with a `moved` block.
  test("logical IDs of stateful resources are pinned (production)", () => {
    const json = synthesized.production;
    expect(addresses(json, "fly_app")).toEqual(["api", "db", "worker"]);
    expect(addresses(json, "fly_volume")).toEqual(["db_postgres_iad_1", "db_postgres_iad_2"]);
    expect(addresses(json, "fly_cert")).toEqual(["api_api_example_com", "api_example_com"]);
    expect(addresses(json, "cloudflare_dns_record")).toEqual(["api_api_example_com_cname", "api_example_com_a", "api_example_com_aaaa"]);
    expect(addresses(json, "fly_secret")).toEqual(["api_DATABASE_URL", "api_SESSION_SECRET", "db_OPERATOR_PASSWORD", "db_REPL_PASSWORD", "worker_DATABASE_URL"]);
  });

  test("logical IDs of stateful resources are pinned (staging)", () => {
    const json = synthesized.staging;
    expect(addresses(json, "fly_app")).toEqual(["api", "db", "worker"]);
    expect(addresses(json, "fly_volume")).toEqual(["db_postgres_iad_1"]);
    expect(addresses(json, "fly_cert")).toEqual(["api_api_staging_example_com", "api_wildcard_preview_staging_example_com"]);
    expect(addresses(json, "cloudflare_dns_record")).toEqual([
      "api_api_staging_example_com_cname",
      "api_wildcard_preview_staging_example_com_acme_challenge",
      "api_wildcard_preview_staging_example_com_cname",
    ]);
  });

  test("production protects apps and volumes with prevent_destroy; staging does not", () => {
    for (const type of ["fly_app", "fly_volume"]) {
      for (const r of Object.values(synthesized.production.resource[type])) expect(r.lifecycle).toMatchObject({ prevent_destroy: true });
      for (const r of Object.values(synthesized.staging.resource[type])) expect(r.lifecycle ?? {}).not.toHaveProperty("prevent_destroy");
    }
  });

  test("production runs at least two API machines per region, in two regions; staging's stop when idle", () => {
    const prodApi = Object.values(synthesized.production.resource.fly_machine).filter((m) => m.app === "${fly_app.api.name}");
    const perRegion = prodApi.reduce<Record<string, number>>((acc, m) => ({ ...acc, [String(m.region)]: (acc[String(m.region)] ?? 0) + 1 }), {});
    expect(perRegion).toEqual({ iad: 2, lhr: 2 });
    const stagingApi = Object.values(synthesized.staging.resource.fly_machine).filter((m) => m.app === "${fly_app.api.name}");
    for (const m of stagingApi) expect((m.service as { autostop: string }[])[0].autostop).toBe("stop");
  });

  test("no secret value anywhere: secrets are write-only, fed by sensitive ephemeral variables without defaults", () => {
    for (const json of Object.values(synthesized)) {
      for (const [name, variable] of Object.entries(json.variable)) {
        expect({ name, ...variable }).toMatchObject({ name, sensitive: true, ephemeral: true });
        expect(variable).not.toHaveProperty("default");
      }
      for (const [name, secret] of Object.entries(json.resource.fly_secret)) {
        expect(secret.value_wo).toBe(`\${var.${name}}`);
        expect(Object.keys(secret).filter((k) => k !== "//").sort()).toEqual(["app", "name", "value_wo", "value_wo_version"]);
      }
    }
  });
});
