/**
 * Two configuration paths never map to one Terraform address: the rule (src/config/rules/unique-addresses.ts)
 * computes the addresses from src/fly/naming.ts, the constructs use the same functions, and a
 * synthesized stack holds every address the configuration implies (nothing overwritten).
 */
import { App, TerraformOutput, TerraformResource, TerraformStack, TerraformVariable } from "cdktf";
import type { IConstruct } from "constructs";
import { EnvironmentStack } from "../../stacks/environment-stack";
import { plannedAddresses } from "../../src/config/addresses";
import { validateEnvironments } from "../../src/config/validate";
import type { EnvironmentConfig } from "../../src/config/types";
import { DIGEST, type MutableEnvironment, formattedIssuesOf, validEnvironment, validGroup } from "./fixtures";

function synthesized(env: EnvironmentConfig): { json: Record<string, Record<string, Record<string, unknown>>>; stack: TerraformStack } {
  const app = new App({ stackTraces: false });
  const stack = new EnvironmentStack(app, env.name, { environment: env });
  return { json: stack.toTerraform() as Record<string, Record<string, Record<string, unknown>>>, stack };
}

/** Every address in a synthesized stack: `type.name` per resource, `var.x`, `output.x`. */
function addressesIn(json: Record<string, Record<string, Record<string, unknown>>>): string[] {
  return [
    ...Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`)),
    ...Object.keys(json.variable ?? {}).map((name) => `var.${name}`),
    ...Object.keys(json.output ?? {}).map((name) => `output.${name}`),
  ].sort();
}

/** What the construct tree made, before cdk.tf.json keyed it by address (where a clash overwrites). */
function constructsIn(stack: TerraformStack): number {
  const all: IConstruct[] = stack.node.findAll();
  return all.filter((c) => TerraformResource.isTerraformResource(c) || c instanceof TerraformVariable || c instanceof TerraformOutput).length;
}

/** Many apps, groups (volumes, release hooks, several regions and counts), secrets and every kind of hostname. */
function bigEnvironment(): MutableEnvironment {
  const env = validEnvironment("staging");
  const group = (regions: string[], count: number, extra: object = {}) => ({ ...validGroup(), regions, count, ...extra });
  env.apps = {
    web: {
      name: "acme-web-staging",
      ips: { dedicatedIpv4: true, flycast: true },
      secrets: { SESSION_KEY: { version: "1" }, DATABASE_URL: { version: "2" } },
      domains: ["example.com", "www.example.com", "*.preview.example.com", "web-v2.example.com"],
      groups: {
        web: group(["iad", "lhr", "syd"], 2, { release: { command: ["npm", "run", "migrate"] } }),
        worker: group(["iad"], 3, { deploy: { strategy: "bluegreen" } }),
        "x-y": group(["fra"], 1),
      },
    },
    db: {
      name: "acme-db-staging",
      ips: { sharedIpv4: false, ipv6: false, flycast: true },
      secrets: { POSTGRES_PASSWORD: { version: "1" } },
      groups: {
        postgres: group(["iad", "ord"], 2, { image: `postgres@${DIGEST}`, volume: { name: "pgdata", path: "/data", sizeGb: 10 } }),
        replica: group(["lhr"], 1, { volume: { name: "replica", path: "/data", sizeGb: 10 } }),
      },
    },
    "api-v2": {
      name: "acme-api-v2-staging",
      domains: ["api.example.com", "*.api.example.com"],
      groups: {
        web: group(["iad", "ams"], 1, { services: [{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }] }], deploy: { canary: { window: "10m", maxErrorRatio: 2, maxLatencyRatio: 1.5 } } }),
        "web-canary": group(["iad"], 1),
      },
    },
  };
  return env;
}

describe("unique-addresses: two paths, one Terraform address", () => {
  test("hostnames web-v2.example.com and web.v2.example.com (the issue's first case)", () => {
    const env = validEnvironment("production");
    env.apps = { web: { name: "acme-web", groups: { web: validGroup() }, domains: ["web-v2.example.com", "web.v2.example.com"] } };
    expect(formattedIssuesOf(env, "production")).toEqual([
      'production: apps.web.domains[1]: hostname "web.v2.example.com" gives the same Terraform address fly_cert.web_web_v2_example_com as apps.web.domains[0] ("web-v2.example.com"); rename one',
    ]);
  });

  test("app db group x-postgres beside app db-x group postgres (the issue's second case)", () => {
    const env = validEnvironment();
    const volume = { name: "pgdata", path: "/data", sizeGb: 1 };
    env.apps = {
      db: { name: "acme-db", groups: { "x-postgres": { ...validGroup(), volume } } },
      "db-x": { name: "acme-db-x", groups: { postgres: { ...validGroup(), volume } } },
    };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.db-x.groups.postgres: group "postgres" of app "db-x" gives the same Terraform address fly_volume.db_x_postgres_iad_1 as apps.db.groups.x-postgres (group "x-postgres" of app "db"); rename one',
    ]);
  });

  test("groups web_service and web-service, both names Fly accepts, one logical ID: an error naming both", () => {
    const env = validEnvironment();
    env.apps = { web: { name: "acme-web", groups: { web_service: validGroup(), "web-service": validGroup() } } };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.web.groups.web-service: group "web-service" of app "web" gives the same Terraform address fly_machine.web_web_service_iad_1 as apps.web.groups.web_service (group "web_service" of app "web"); rename one',
    ]);
  });

  test("a wildcard and a hostname whose first label is 'wildcard'", () => {
    const env = validEnvironment();
    env.apps.api.domains = ["*.preview.example.com", "wildcard.preview.example.com"];
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.api.domains[1]: hostname "wildcard.preview.example.com" gives the same Terraform address fly_cert.api_wildcard_preview_example_com as apps.api.domains[0] ("*.preview.example.com"); rename one',
    ]);
  });

  test("secrets (their variables too): app a-b secret _X beside app a-b- secret X", () => {
    const env = validEnvironment();
    env.apps = {
      "a-b": { name: "acme-a-b", groups: { web: validGroup() }, secrets: { _X: { version: "1" } } },
      "a-b-": { name: "acme-a-b2", groups: { web: validGroup() }, secrets: { X: { version: "1" } } },
    };
    expect(formattedIssuesOf(env)).toContain(
      'staging: apps.a-b-.secrets.X: secret "X" of app "a-b-" gives the same Terraform address var.a_b__X as apps.a-b.secrets._X (secret "_X" of app "a-b"); rename one',
    );
  });

  test("a hostname listed twice is reported once (by hostnames-in-zone), not again as an address", () => {
    const env = validEnvironment();
    env.apps.api.domains = ["api.example.com", "api.example.com"];
    expect(formattedIssuesOf(env)).toEqual(['staging: apps.api.domains[1]: hostname "api.example.com" is already served by apps.api.domains[0]']);
  });

  test("the original problem: without the rule, the later resource silently replaced the earlier one in cdk.tf.json", () => {
    const env = validEnvironment();
    env.apps.api.domains = ["web-v2.example.com", "web.v2.example.com"];
    const { json, stack } = synthesized(env as EnvironmentConfig);
    expect(constructsIn(stack)).toBeGreaterThan(addressesIn(json).length);
    expect(() => validateEnvironments([{ name: "staging", value: env }])).toThrow(/gives the same Terraform address fly_cert\.api_web_v2_example_com/);
  });
});

describe("synthesis keeps every resource the configuration implies", () => {
  const env = bigEnvironment();

  test("the fixture is valid", () => {
    expect(formattedIssuesOf(env)).toEqual([]);
  });

  test("cdk.tf.json holds exactly the planned addresses, one per construct (no overwrite)", () => {
    const [config] = validateEnvironments([{ name: "staging", value: env }]);
    const { json, stack } = synthesized(config);
    const planned = plannedAddresses(config).map((p) => p.address);
    const written = addressesIn(json);
    expect(new Set(planned).size).toBe(planned.length);
    expect(written).toEqual([...planned].sort());
    // Every resource, variable and output construct has its own address.
    expect(constructsIn(stack)).toBe(written.length);
    // A spot check of the kinds: 3 regions × 2 + 3 + 1 machines of web, 2 × 2 + 1 volumes of db.
    expect(written.filter((a) => a.startsWith("fly_machine.web_"))).toHaveLength(10);
    expect(written.filter((a) => a.startsWith("fly_volume.db_"))).toHaveLength(5);
    expect(written.filter((a) => a.startsWith("cloudflare_dns_record."))).toHaveLength(2 + 1 + 2 + 1 + 1 + 2);
    // A blue-green group's generation and cutover, a canary group's gate.
    expect(written.filter((a) => a.startsWith("terraform_data."))).toEqual(["terraform_data.web_worker_cutover", "terraform_data.web_worker_generation"]);
    expect(written).toContain("null_resource.api_v2_web_canary_gate");
  });
});
