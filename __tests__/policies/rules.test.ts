import { CloudBackend, HttpBackend, LocalBackend, NamedCloudWorkspace, S3Backend, TerraformProvider, type TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { CloudflareProvider } from "../../.gen/providers/cloudflare/provider";
import { DnsRecord } from "../../.gen/providers/cloudflare/dns-record";
import { App as FlyAppResource } from "../../.gen/providers/fly/app";
import { Cert } from "../../.gen/providers/fly/cert";
import { Volume } from "../../.gen/providers/fly/volume";
import { FlyApp, type FlyAppProps } from "../../constructs/fly-app";
import { MachineVolume } from "../../constructs/machine-volume";
import { configureBackend } from "../../stacks/backend";
import { pinProviders } from "../../stacks/provider-pins";
import { fly001 } from "../../policies/rules/fly001-protected-prevent-destroy";
import { fly002 } from "../../policies/rules/fly002-volume-snapshots";
import { fly003 } from "../../policies/rules/fly003-pinned-images";
import { fly004 } from "../../policies/rules/fly004-public-redundancy";
import { fly005 } from "../../policies/rules/fly005-service-health-checks";
import { fly006 } from "../../policies/rules/fly006-guest-size";
import { credentialShape, fly007 } from "../../policies/rules/fly007-no-credentials-in-env";
import { fly008 } from "../../policies/rules/fly008-encrypted-volumes";
import { fly009 } from "../../policies/rules/fly009-https-only";
import { fly010 } from "../../policies/rules/fly010-unproxied-validation-records";
import { fly011 } from "../../policies/rules/fly011-state-encrypted-locked";
import { fly012 } from "../../policies/rules/fly012-pinned-providers";
import { FLYSTACK_RULES } from "../../policies/rules";
import { DIGEST, findings, IMAGE, machine, testStack } from "./helpers";

const ZONE_ID = "3f2c9a7d1b8e4c6fa0d5e2b7c9f1a4d3";

/** A FlyApp with one public `web` group (HTTPS service with a check), as environments declare it. */
function flyApp(scope: Construct, overrides: Partial<FlyAppProps> = {}, group: Partial<FlyAppProps["groups"][string]> = {}): FlyApp {
  return new FlyApp(scope, "api", {
    appKey: "api",
    name: "acme-api-test",
    org: "acme",
    environment: "test",
    dns: { zone: "example.com", cloudflareZoneId: ZONE_ID },
    groups: {
      web: {
        image: IMAGE,
        guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
        regions: ["iad"],
        count: 2,
        services: [{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", path: "/health" }] }],
        ...group,
      },
    },
    ...overrides,
  });
}

function volume(scope: Construct, props: { protected?: boolean; encrypted?: boolean; snapshotRetentionDays?: number; autoBackup?: boolean } = {}): MachineVolume {
  return new MachineVolume(scope, "data", {
    appName: "acme-db",
    name: "pg_data_iad_1",
    region: "iad",
    sizeGb: 10,
    compute: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
    logicalId: "db_postgres_iad_1",
    ...props,
  });
}

test("the catalogue: FLY001 to FLY012, each with a title and one line on what and on why", () => {
  expect(FLYSTACK_RULES.map((r) => r.id)).toEqual(Array.from({ length: 12 }, (_, i) => `FLY${String(i + 1).padStart(3, "0")}`));
  for (const rule of FLYSTACK_RULES) {
    expect(rule.title).not.toBe("");
    expect(rule.what).toMatch(/^[^\n]{10,}$/);
    expect(rule.why).toMatch(/^[^\n]{10,}$/);
  }
});

describe("FLY001 protected stateful resources have prevent_destroy", () => {
  test("passes: a protected environment's FlyApp and MachineVolume", () => {
    const { stack } = testStack({ protected: true });
    flyApp(stack, { protected: true });
    volume(stack, { protected: true });
    expect(findings(stack, fly001)).toEqual([]);
  });

  test("passes: an unprotected environment needs none", () => {
    const { stack } = testStack({ protected: false });
    flyApp(stack);
    volume(stack);
    expect(findings(stack, fly001)).toEqual([]);
  });

  test("fails: fly_app and fly_volume without prevent_destroy in a protected environment", () => {
    const { stack } = testStack({ protected: true });
    new FlyAppResource(stack, "app", { name: "acme-api" }).overrideLogicalId("api");
    volume(stack);
    expect(findings(stack, fly001)).toEqual([
      { stack: "test", ruleId: "FLY001", level: "error", path: "test/app", message: 'fly_app.api has no lifecycle.prevent_destroy = true in protected environment "test"' },
      {
        stack: "test",
        ruleId: "FLY001",
        level: "error",
        path: "test/data/volume",
        message: 'fly_volume.db_postgres_iad_1 has no lifecycle.prevent_destroy = true in protected environment "test"',
      },
    ]);
  });

  test("fails: prevent_destroy removed by an override is seen (the rule reads the synthesized JSON)", () => {
    const { stack } = testStack({ protected: true });
    volume(stack, { protected: true }).volume.addOverride("lifecycle.prevent_destroy", false);
    expect(findings(stack, fly001).map((f) => f.path)).toEqual(["test/data/volume"]);
  });
});

describe("FLY002 protected volumes keep 7 days of snapshots and automatic backups", () => {
  test("passes: MachineVolume's defaults (7 days, backups on)", () => {
    const { stack } = testStack({ protected: true });
    volume(stack, { protected: true });
    expect(findings(stack, fly002)).toEqual([]);
  });

  test("passes: short retention outside protected environments", () => {
    const { stack } = testStack({ protected: false });
    volume(stack, { snapshotRetentionDays: 1, autoBackup: false });
    expect(findings(stack, fly002)).toEqual([]);
  });

  test("fails: 3 days and backups off", () => {
    const { stack } = testStack({ protected: true });
    volume(stack, { protected: true, snapshotRetentionDays: 3, autoBackup: false });
    expect(findings(stack, fly002).map((f) => [f.level, f.message])).toEqual([
      ["error", "fly_volume.db_postgres_iad_1 has snapshot_retention = 3; keep at least 7 days"],
      ["error", "fly_volume.db_postgres_iad_1 has auto_backup_enabled = false; it must be true"],
    ]);
  });

  test("fails: retention unset means Fly's 5 days", () => {
    const { stack } = testStack({ protected: true });
    new Volume(stack, "raw", { app: "acme-db", name: "data", region: "iad", sizeGb: 1, lifecycle: { preventDestroy: true } }).overrideLogicalId("raw");
    expect(findings(stack, fly002).map((f) => f.message)).toEqual([
      "fly_volume.raw has snapshot_retention = 5 (unset: Fly's default is 5); keep at least 7 days",
    ]);
  });
});

describe("FLY003 images are pinned", () => {
  test("passes: a digest, or a tag other than latest", () => {
    const { stack } = testStack({ protected: true });
    machine(stack, "digest", { image: `registry.fly.io/acme-api@${DIGEST}` });
    machine(stack, "tag", { image: "registry.fly.io/acme-api:v1.2.3" });
    expect(findings(stack, fly003)).toEqual([]);
  });

  test("fails as an error in a protected environment, on the machine and its container", () => {
    const { stack } = testStack({ protected: true });
    machine(stack, "m", { image: "registry.fly.io/acme-api:latest", container: [{ name: "web", image: "registry.fly.io/acme-api" }] });
    expect(findings(stack, fly003).map((f) => [f.level, f.message])).toEqual([
      ["error", 'fly_machine.m image: image "registry.fly.io/acme-api:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"'],
      ["error", 'fly_machine.m container[0] (web) image: image "registry.fly.io/acme-api" is not pinned; use a digest (@sha256:…) or a tag other than "latest"'],
    ]);
  });

  test("fails as a warning elsewhere; an image from a variable cannot be verified", () => {
    const { stack } = testStack({ protected: false });
    machine(stack, "m", { image: "${var.image}" });
    expect(findings(stack, fly003).map((f) => [f.level, f.message])).toEqual([
      ["warning", 'fly_machine.m image: image "${var.image}" is a Terraform expression; its pin cannot be checked at synthesis'],
    ]);
  });
});

describe("FLY004 protected public groups run 2 machines in their primary region", () => {
  test("passes: count 2 in the primary region", () => {
    const { stack } = testStack({ protected: true });
    flyApp(stack, { protected: true }, { regions: ["iad", "lhr"], count: 2 });
    expect(findings(stack, fly004)).toEqual([]);
  });

  test("passes: a private group (no http or tls handler) and an unprotected environment may run one", () => {
    const protectedStack = testStack({ protected: true }).stack;
    flyApp(protectedStack, { protected: true }, { count: 1, services: [{ internalPort: 5432, ports: [{ port: 5432 }], checks: [{ type: "tcp" }] }] });
    expect(findings(protectedStack, fly004)).toEqual([]);
    const open = testStack({ protected: false }).stack;
    flyApp(open, {}, { count: 1 });
    expect(findings(open, fly004)).toEqual([]);
  });

  test("fails: one machine in the primary region, though the group has two in all (reported once, on the first machine)", () => {
    const { stack } = testStack({ protected: true });
    flyApp(stack, { protected: true }, { regions: ["iad", "lhr"], count: 1 });
    expect(findings(stack, fly004)).toEqual([
      {
        stack: "test",
        ruleId: "FLY004",
        level: "error",
        path: "test/api/group-web/machine-iad-1",
        message: 'public process group "web" of app fly_app.api runs 1 machine in its primary region iad (first machine fly_machine.api_web_iad_1); run at least 2 there',
      },
    ]);
  });

  test("groups raw machines by app and fly_process_group; the first machine's region is primary", () => {
    const { stack } = testStack({ protected: true });
    machine(stack, "web_ams", { region: "ams" });
    machine(stack, "web_iad_1", { region: "iad" });
    machine(stack, "web_iad_2", { region: "iad" });
    machine(stack, "other_app", { app: "acme-other", region: "iad" });
    expect(findings(stack, fly004).map((f) => f.path)).toEqual(["test/web_ams", "test/other_app"]);
  });
});

describe("FLY005 every service has a health check", () => {
  const noCheck = [{ internalPort: 8080, protocol: "tcp", port: [{ port: 443, handlers: ["tls", "http"] }] }];

  test("passes: a service with a check", () => {
    const { stack } = testStack({ protected: true });
    flyApp(stack, { protected: true });
    expect(findings(stack, fly005)).toEqual([]);
  });

  test("fails as an error in a protected environment", () => {
    const { stack } = testStack({ protected: true });
    machine(stack, "m", { service: noCheck });
    expect(findings(stack, fly005).map((f) => [f.level, f.message])).toEqual([["error", "fly_machine.m service[0] (internal port 8080) has no check"]]);
  });

  test("fails as a warning elsewhere", () => {
    const { stack } = testStack({ protected: false });
    machine(stack, "m", { service: noCheck });
    expect(findings(stack, fly005).map((f) => f.level)).toEqual(["warning"]);
  });
});

describe("FLY006 machines declare their guest size", () => {
  test("passes: ProcessGroup always sets the guest", () => {
    const { stack } = testStack();
    flyApp(stack);
    expect(findings(stack, fly006)).toEqual([]);
  });

  test("fails: no guest, or a guest without memory", () => {
    const { stack } = testStack();
    machine(stack, "none", { guest: undefined });
    machine(stack, "partial", { guest: { cpuKind: "shared", cpus: 1 } });
    expect(findings(stack, fly006).map((f) => [f.level, f.message])).toEqual([
      ["error", "fly_machine.none has no guest cpu_kind, cpus, memory_mb"],
      ["error", "fly_machine.partial has no guest memory_mb"],
    ]);
  });
});

describe("FLY007 no credential in plain env", () => {
  test("passes: ordinary names and values", () => {
    const { stack } = testStack();
    machine(stack, "m", {
      env: {
        NODE_ENV: "production",
        PORT: "8080",
        MONKEY_COUNT: "3",
        DATA_DIR: "/var/lib/postgresql/data/pgdata/main",
        SERVICE: "acme_billing_worker_queue_consumer_v2",
        DATABASE_HOST: "postgres://db.internal:5432/app",
        IMAGE: IMAGE.replace(`@${DIGEST}`, ""),
      },
    });
    expect(findings(stack, fly007)).toEqual([]);
  });

  test("fails by name, in machine env and container env, without quoting the value", () => {
    const { stack } = testStack();
    machine(stack, "m", { env: { API_KEY: "x" }, container: [{ name: "web", image: IMAGE, env: { DB_PASSWORD: "hunter2" } }] });
    const found = findings(stack, fly007);
    expect(found.map((f) => f.message)).toEqual([
      "fly_machine.m env API_KEY: its name contains KEY; declare it as a secret",
      "fly_machine.m container[0] (web) env DB_PASSWORD: its name contains PASSWORD; declare it as a secret",
    ]);
    expect(found.every((f) => !f.message.includes("hunter2"))).toBe(true);
  });

  test("fails by shape: hex, base64, PEM, a URL with a password", () => {
    const { stack } = testStack();
    machine(stack, "m", {
      env: {
        A: "0123456789abcdef0123456789abcdef",
        B: "Bearer dGhpc0lzQVNlY3JldFRva2VuMTIzNDU2Nzg5MA==",
        C: "-----BEGIN PRIVATE KEY-----\nMIIE...",
        D: "postgres://app:s3cr3t@db.internal:5432/app",
      },
    });
    expect(findings(stack, fly007).map((f) => f.message)).toEqual([
      "fly_machine.m env A: its value looks like a hex key of 32 or more characters; declare it as a secret",
      "fly_machine.m env B: its value looks like a base64 key of 32 or more characters; declare it as a secret",
      "fly_machine.m env C: its value looks like a PEM key or certificate (-----BEGIN); declare it as a secret",
      "fly_machine.m env D: its value looks like a URL with a password (scheme://user:pass@host); declare it as a secret",
    ]);
  });

  test.each([
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", true],
    ["base64url", "Zm9vYmFyYmF6cXV4X2xvbmdfc2VjcmV0X3ZhbHVlXzEy", true],
    ["a lowercase snake-case constant", "acme_billing_worker_queue_consumer_v2", false],
    ["a URL without a password", "https://user@example.com/path", false],
    ["a short hex", "deadbeef", false],
  ])("credentialShape: %s", (_, value, credential) => {
    expect(credentialShape(value) !== undefined).toBe(credential);
  });
});

describe("FLY008 volumes are encrypted", () => {
  test("passes: MachineVolume encrypts; unset is the provider's default (true)", () => {
    const { stack } = testStack();
    volume(stack);
    new Volume(stack, "raw", { app: "acme-db", name: "data", region: "iad", sizeGb: 1 });
    expect(findings(stack, fly008)).toEqual([]);
  });

  test("fails: encrypted = false", () => {
    const { stack } = testStack();
    volume(stack, { encrypted: false });
    expect(findings(stack, fly008).map((f) => [f.level, f.path, f.message])).toEqual([
      ["error", "test/data/volume", "fly_volume.db_postgres_iad_1 has encrypted = false; it must be true"],
    ]);
  });
});

describe("FLY009 HTTP services are HTTPS only", () => {
  test("passes: 443 with tls and http", () => {
    const { stack } = testStack();
    flyApp(stack);
    expect(findings(stack, fly009)).toEqual([]);
  });

  test("fails as a warning: port 80 with http and no tls", () => {
    const { stack } = testStack();
    machine(stack, "m", {
      service: [{ internalPort: 8080, port: [{ port: 443, handlers: ["tls", "http"] }, { port: 80, handlers: ["http"] }], check: [{ type: "tcp", port: 8080 }] }],
    });
    expect(findings(stack, fly009).map((f) => [f.level, f.message])).toEqual([
      ["warning", "fly_machine.m service[0] port 80 has handlers [http] without tls: plain HTTP with no redirect"],
    ]);
  });
});

describe("FLY010 certificate DNS records are not proxied", () => {
  test("passes: Domain's records (unproxied), and a proxied record that validates nothing", () => {
    const { stack } = testStack();
    new CloudflareProvider(stack, "cloudflare", {});
    flyApp(stack, { domains: ["example.com", "api.example.com", "*.preview.example.com"] });
    new DnsRecord(stack, "www", { zoneId: ZONE_ID, name: "www.example.com", type: "CNAME", content: "example.com", ttl: 1, proxied: true });
    expect(findings(stack, fly010)).toEqual([]);
  });

  test("fails: a record a fly_cert_validation waits on, and one whose content references fly_cert, proxied", () => {
    const { stack } = testStack();
    new CloudflareProvider(stack, "cloudflare", {});
    const app = flyApp(stack, { domains: ["example.com", "api.example.com"] });
    for (const domain of app.domains) for (const record of domain.records) record.addOverride("proxied", true);
    expect(findings(stack, fly010).map((f) => [f.level, f.path])).toEqual([
      ["error", "test/api/domain-example.com/a"],
      ["error", "test/api/domain-example.com/aaaa"],
      ["error", "test/api/domain-api.example.com/cname"],
    ]);
    expect(findings(stack, fly010)[0].message).toBe("cloudflare_dns_record.api_example_com_a validates a Fly certificate but has proxied = true; it must be false");
  });

  test("fails: a proxied record whose content references a fly_cert, with no validation waiting on it", () => {
    const { stack } = testStack();
    new CloudflareProvider(stack, "cloudflare", {});
    const cert = new Cert(stack, "cert", { app: "acme-api", hostname: "docs.example.com" });
    new DnsRecord(stack, "docs", { zoneId: ZONE_ID, name: "docs.example.com", type: "CNAME", content: cert.cname, ttl: 1, proxied: true });
    expect(findings(stack, fly010).map((f) => f.path)).toEqual(["test/docs"]);
  });
});

describe("FLY011 remote state is encrypted and locked", () => {
  test.each([
    ["s3 as configureBackend writes it (use_lockfile by override)", (s: TerraformStack) => configureBackend(s, { backend: "s3", bucket: "b" }, "k")],
    ["HCP Terraform", (s: TerraformStack) => void new CloudBackend(s, { organization: "acme", workspaces: new NamedCloudWorkspace("w") })],
    ["local state", (s: TerraformStack) => void new LocalBackend(s, { path: "x.tfstate" })],
  ])("passes: %s", (_, add: (s: TerraformStack) => void) => {
    const { stack } = testStack();
    add(stack);
    expect(findings(stack, fly011)).toEqual([]);
  });

  test("fails: s3 without use_lockfile and with encrypt false", () => {
    const { stack } = testStack();
    new S3Backend(stack, { bucket: "b", key: "k", region: "auto", encrypt: false });
    expect(findings(stack, fly011).map((f) => [f.level, f.path, f.message])).toEqual([
      ["error", "test/backend", 'backend "s3" has encrypt = false and use_lockfile = unset; set encrypt = true and use_lockfile = true'],
    ]);
  });

  test("fails: a backend flystack cannot verify", () => {
    const { stack } = testStack();
    new HttpBackend(stack, { address: "https://state.example.com" });
    expect(findings(stack, fly011).map((f) => f.message)).toEqual([
      'backend "http" is not one flystack can verify encrypts and locks state; use s3 (encrypt, use_lockfile) or HCP Terraform',
    ]);
  });
});

/** A provider whose bindings carry no version constraint. */
class CustomProvider extends TerraformProvider {
  constructor(scope: Construct, id: string) {
    super(scope, id, { terraformResourceType: "custom", terraformProviderSource: "acme/custom" });
  }
}

describe("FLY012 every provider is pinned", () => {
  test("passes: pinProviders (overrides in required_providers)", () => {
    const { stack } = testStack();
    new CloudflareProvider(stack, "cloudflare", {});
    pinProviders(stack);
    expect(findings(stack, fly012)).toEqual([]);
  });

  test("fails: an empty version, and a provider with no constraint at all", () => {
    const { stack } = testStack();
    stack.addOverride("terraform.required_providers.fly.version", "");
    new CustomProvider(stack, "custom");
    expect(findings(stack, fly012).map((f) => [f.level, f.path, f.message])).toEqual([
      ["error", "test/fly", 'provider "fly" has version "" in terraform.required_providers; pin it (e.g. "~> 1.2" or "1.2.3")'],
      ["error", "test/custom", 'provider "custom" has version unset in terraform.required_providers; pin it (e.g. "~> 1.2" or "1.2.3")'],
    ]);
  });
});
