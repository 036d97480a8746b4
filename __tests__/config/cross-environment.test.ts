/**
 * The cross-environment rules of `src/config/rules/cross-environment/`: a passing and a failing
 * configuration set for each, through `validateEnvironments` (as the CLI and main.ts run them), and
 * the planned DNS records kept in step with what the Domain construct synthesizes.
 */
import { Ip } from "../../.gen/providers/fly/ip";
import { Domain } from "../../constructs/domain";
import { validateEnvironments } from "../../src/config/validate";
import { ConfigValidationError, formatIssue } from "../../src/config/issue";
import { CROSS_ENVIRONMENT_RULES } from "../../src/config/rules/cross-environment";
import { uniqueHostnames } from "../../src/config/rules/cross-environment/unique-hostnames";
import { uniqueDnsRecords } from "../../src/config/rules/cross-environment/unique-dns-records";
import { dnsRecordsFor } from "../../src/config/rules/cross-environment/dns-records";
import type { EnvironmentConfig } from "../../src/config/types";
import { type MutableEnvironment, ZONE_ID, validEnvironment } from "./fixtures";
import { resources, synth } from "../constructs/helpers";

const OTHER_ZONE_ID = "0123456789abcdef0123456789abcdef";

/** An environment whose `api` app serves `domains` (in zone example.com unless changed). */
function serving(name: string, domains: string[], edit: (env: MutableEnvironment) => void = () => {}): MutableEnvironment {
  const env = validEnvironment(name);
  env.apps.api.domains = domains;
  edit(env);
  return env;
}

/** Every printed issue of validating the environments together (none: []). */
function problems(...envs: MutableEnvironment[]): string[] {
  try {
    validateEnvironments(envs.map((env) => ({ name: env.name, value: env })));
    return [];
  } catch (error) {
    if (!(error instanceof ConfigValidationError)) throw error;
    return error.issues.map(formatIssue);
  }
}

const entries = (...envs: MutableEnvironment[]) => envs.map((config) => ({ file: config.name, config: config as EnvironmentConfig }));

describe("the cross-environment rule list", () => {
  test("holds the hostname and DNS record rules, by ID", () => {
    expect(CROSS_ENVIRONMENT_RULES.map((r) => r.id)).toEqual(["cross-environment-hostnames", "cross-environment-dns-records"]);
  });
});

describe("cross-environment-hostnames", () => {
  test("refuses a hostname claimed by two environments, at the later one, naming both environments and paths", () => {
    const staging = serving("staging", ["api.staging.example.com"]);
    const qa = serving("qa", ["www.qa.example.com", "api.staging.example.com"]);
    expect(uniqueHostnames.check(entries(staging, qa)).map(formatIssue)).toEqual([
      'qa: apps.api.domains[1]: hostname "api.staging.example.com" is also claimed by staging (apps.api.domains[0]); each environment needs its own hostnames',
    ]);
  });

  test("refuses the same hostname even in different Cloudflare zones (a zone delegated inside another)", () => {
    const staging = serving("staging", ["api.staging.example.com"]);
    const qa = serving("qa", ["api.staging.example.com"], (env) => void (env.dns = { zone: "staging.example.com", cloudflareZoneId: OTHER_ZONE_ID }));
    expect(problems(staging, qa)).toEqual([
      'qa: apps.api.domains[0]: hostname "api.staging.example.com" is also claimed by staging (apps.api.domains[0]); each environment needs its own hostnames',
    ]);
  });

  test("every later claimant is reported against the first", () => {
    const [a, b, c] = ["production", "staging", "qa"].map((name) => serving(name, ["api.example.com"]));
    expect(uniqueHostnames.check(entries(a, b, c)).map(formatIssue)).toEqual([
      'staging: apps.api.domains[0]: hostname "api.example.com" is also claimed by production (apps.api.domains[0]); each environment needs its own hostnames',
      'qa: apps.api.domains[0]: hostname "api.example.com" is also claimed by production (apps.api.domains[0]); each environment needs its own hostnames',
    ]);
  });

  test("a hostname twice in one environment is left to hostnames-in-zone", () => {
    const staging = serving("staging", ["api.example.com", "api.example.com"]);
    expect(uniqueHostnames.check(entries(staging))).toEqual([]);
    expect(problems(staging)).toEqual(['staging: apps.api.domains[1]: hostname "api.example.com" is already served by apps.api.domains[0]']);
  });

  test("accepts environments with hostnames of their own in one zone", () => {
    const staging = serving("staging", ["api.staging.example.com", "*.preview.staging.example.com"]);
    const qa = serving("qa", ["api.qa.example.com", "*.preview.qa.example.com"]);
    const production = serving("production", ["example.com", "api.example.com"]);
    expect(uniqueHostnames.check(entries(production, qa, staging))).toEqual([]);
    expect(problems(production, qa, staging)).toEqual([]);
  });
});

describe("cross-environment-dns-records", () => {
  test("refuses two environments claiming the apex: its A and AAAA records would add up", () => {
    const production = serving("production", ["example.com"]);
    const qa = serving("qa", ["example.com"]);
    expect(uniqueDnsRecords.check(entries(production, qa)).map(formatIssue)).toEqual([
      'qa: apps.api.domains[0]: DNS record A "example.com" in zone example.com is also claimed by production (apps.api.domains[0]); each environment needs its own DNS records',
      'qa: apps.api.domains[0]: DNS record AAAA "example.com" in zone example.com is also claimed by production (apps.api.domains[0]); each environment needs its own DNS records',
    ]);
  });

  test("refuses two environments claiming one wildcard: its CNAME and its _acme-challenge CNAME", () => {
    const staging = serving("staging", ["*.preview.example.com"]);
    const qa = serving("qa", ["api.qa.example.com", "*.preview.example.com"]);
    expect(uniqueDnsRecords.check(entries(staging, qa)).map(formatIssue)).toEqual([
      'qa: apps.api.domains[1]: DNS record CNAME "*.preview.example.com" in zone example.com is also claimed by staging (apps.api.domains[0]); each environment needs its own DNS records',
      'qa: apps.api.domains[1]: DNS record CNAME "_acme-challenge.preview.example.com" in zone example.com is also claimed by staging (apps.api.domains[0]); each environment needs its own DNS records',
    ]);
  });

  test("a CNAME clashes with any record at its name in the same zone, whatever the zone is called", () => {
    // One Cloudflare zone ID under two zone names (a copy-paste slip): the apex of one is a subdomain of the other.
    const staging = serving("staging", ["staging.example.com"]);
    const qa = serving("qa", ["staging.example.com"], (env) => void (env.dns = { zone: "staging.example.com", cloudflareZoneId: ZONE_ID }));
    expect(uniqueDnsRecords.check(entries(staging, qa)).map(formatIssue)).toEqual([
      'qa: apps.api.domains[0]: DNS record A "staging.example.com" in zone staging.example.com is also claimed by staging (apps.api.domains[0]) with a CNAME record; each environment needs its own DNS records',
      'qa: apps.api.domains[0]: DNS record AAAA "staging.example.com" in zone staging.example.com is also claimed by staging (apps.api.domains[0]) with a CNAME record; each environment needs its own DNS records',
    ]);
  });

  test("every problem is reported at once with the hostname rule's, by validateEnvironments", () => {
    const staging = serving("staging", ["api.staging.example.com"]);
    const qa = serving("qa", ["api.staging.example.com"]);
    expect(problems(staging, qa)).toEqual([
      'qa: apps.api.domains[0]: hostname "api.staging.example.com" is also claimed by staging (apps.api.domains[0]); each environment needs its own hostnames',
      'qa: apps.api.domains[0]: DNS record CNAME "api.staging.example.com" in zone example.com is also claimed by staging (apps.api.domains[0]); each environment needs its own DNS records',
    ]);
  });

  test("accepts the same names in different Cloudflare zones, and different names in one zone", () => {
    const production = serving("production", ["example.com", "api.example.com", "*.preview.example.com"]);
    const other = serving("other", ["example.net", "api.example.net", "*.preview.example.net"], (env) => void (env.dns = { zone: "example.net", cloudflareZoneId: OTHER_ZONE_ID }));
    const qa = serving("qa", ["qa.example.com", "api.qa.example.com", "*.preview.qa.example.com"]);
    expect(uniqueDnsRecords.check(entries(production, other, qa))).toEqual([]);
    expect(problems(production, other, qa)).toEqual([]);
  });
});

describe("the planned DNS records match what the Domain construct makes", () => {
  const dns = { zone: "example.com", cloudflareZoneId: ZONE_ID };

  test.each(["example.com", "api.example.com", "*.preview.example.com"])("%s", (hostname) => {
    const json = synth((scope) => {
      const ipv4 = new Ip(scope, "v4", { app: "acme-api", type: "shared_v4" });
      const ipv6 = new Ip(scope, "v6", { app: "acme-api", type: "public_v6" });
      new Domain(scope, "d", { appName: "acme-api", appKey: "api", hostname, dns, ipv4, ipv6 });
    });
    const made = Object.values(resources(json, "cloudflare_dns_record")).map((r) => ({ type: r.type, name: r.name, zone: r.zone_id }));
    const planned = dnsRecordsFor(hostname, dns.zone).map((r) => ({ ...r, zone: ZONE_ID }));
    expect(made).toEqual(expect.arrayContaining(planned));
    expect(made).toHaveLength(planned.length);
  });
});
