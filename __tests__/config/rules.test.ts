/**
 * The semantic rules of `src/config/rules/`, one describe per rule: for every check a rule makes,
 * a config that breaks it (exact path and exact printed message) and a close variant that passes.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_RULES } from "../../src/config/rules";
import { validateEnvironments } from "../../src/config/validate";
import { ConfigValidationError, formatIssue } from "../../src/config/issue";
import {
  DIGEST,
  type MutableEnvironment,
  formattedIssuesOf,
  issuesOf,
  validEnvironment,
  validGroup,
  validService,
  web,
  withWorkerApp,
} from "./fixtures";

interface Refused {
  readonly title: string;
  readonly edit: (env: MutableEnvironment) => void;
  readonly path: string;
  /** `formatIssue` output, in full. */
  readonly formatted: string;
}

interface Accepted {
  readonly title: string;
  readonly edit: (env: MutableEnvironment) => void;
}

function edited(edit: (env: MutableEnvironment) => void): MutableEnvironment {
  const env = validEnvironment();
  edit(env);
  return env;
}

/** Runs a table of configs that each break exactly one check. */
function refuses(cases: readonly Refused[]): void {
  test.each(cases)("refuses: $title", ({ edit, path: expectedPath, formatted }) => {
    const env = edited(edit);
    expect(issuesOf(env).map((i) => i.path)).toEqual([expectedPath]);
    expect(formattedIssuesOf(env)).toEqual([formatted]);
  });
}

/** Runs a table of configs that must produce no issue at all. */
function accepts(cases: readonly Accepted[]): void {
  test.each(cases)("accepts: $title", ({ edit }) => {
    expect(issuesOf(edited(edit))).toEqual([]);
  });
}

const ALLOWED_REGIONS =
  "ams, arn, atl, bog, bom, bos, cdg, den, dfw, ewr, eze, fra, gdl, gig, gru, hkg, iad, jnb, lax, lhr, mad, mia, " +
  "nrt, ord, otp, phx, qro, scl, sea, sin, sjc, syd, waw, yul, yyz";

describe("the rule list", () => {
  test("the minimal fixture is valid", () => {
    expect(issuesOf(validEnvironment())).toEqual([]);
  });

  test("every rule file is registered, in the documented order (a new rule needs tests here)", () => {
    const files = fs
      .readdirSync(path.join(__dirname, "../../src/config/rules"))
      .filter((f) => f.endsWith(".ts") && f !== "index.ts" && f !== "rule.ts")
      .map((f) => path.basename(f, ".ts"))
      .sort();
    const ids = CONFIG_RULES.map((r) => r.id);
    expect(ids).toEqual([
      "known-regions",
      "guest-size",
      "pinned-images",
      "volume-per-machine",
      "unique-app-names",
      "hostnames-in-zone",
      "secret-names",
      "no-credentials-in-env",
      "services",
      "unique-addresses",
      "accepted-drift",
      "adopt",
      "slo",
      "monitoring",
      "group-files",
      "deploy", // __tests__/config/deploy-rule.test.ts
    ]);
    expect([...ids].sort()).toEqual(files);
  });
});

describe("known-regions", () => {
  refuses([
    {
      title: "an unknown region",
      edit: (env) => void (web(env).regions = ["iad", "xyz"]),
      path: "apps.api.groups.web.regions[1]",
      formatted: `staging: apps.api.groups.web.regions[1]: unknown Fly region "xyz"; allowed: ${ALLOWED_REGIONS}`,
    },
    {
      title: "an upper-case region code",
      edit: (env) => void (web(env).regions = ["IAD"]),
      path: "apps.api.groups.web.regions[0]",
      formatted: `staging: apps.api.groups.web.regions[0]: unknown Fly region "IAD"; allowed: ${ALLOWED_REGIONS}`,
    },
    {
      title: "a region listed twice (the second occurrence)",
      edit: (env) => void (web(env).regions = ["iad", "lhr", "iad"]),
      path: "apps.api.groups.web.regions[2]",
      formatted: 'staging: apps.api.groups.web.regions[2]: region "iad" is listed twice; use "count" for more machines per region',
    },
  ]);
  accepts([
    { title: "several distinct known regions", edit: (env) => void (web(env).regions = ["iad", "lhr", "syd", "yyz"]) },
    {
      title: "the same region in two different groups",
      edit: (env) => void (env.apps.api.groups.worker = { ...validGroup(), regions: ["iad"] }),
    },
  ]);

  test("reports every bad region of a group, each at its index", () => {
    const env = edited((e) => void (web(e).regions = ["nope", "iad", "iad", "zzz"]));
    expect(issuesOf(env).map((i) => i.path)).toEqual([
      "apps.api.groups.web.regions[0]",
      "apps.api.groups.web.regions[2]",
      "apps.api.groups.web.regions[3]",
    ]);
  });
});

describe("guest-size", () => {
  const guest = (cpuKind: "shared" | "performance", cpus: number, memoryMb: number) => (env: MutableEnvironment) =>
    void (web(env).guest = { cpuKind, cpus, memoryMb });

  refuses([
    {
      title: "a shared CPU count Fly does not offer",
      edit: guest("shared", 3, 768),
      path: "apps.api.groups.web.guest.cpus",
      formatted: "staging: apps.api.groups.web.guest.cpus: 3 CPUs is not offered for shared machines; allowed: 1, 2, 4, 6, 8",
    },
    {
      title: "16 shared CPUs (a performance-only size)",
      edit: guest("shared", 16, 4096),
      path: "apps.api.groups.web.guest.cpus",
      formatted: "staging: apps.api.groups.web.guest.cpus: 16 CPUs is not offered for shared machines; allowed: 1, 2, 4, 6, 8",
    },
    {
      title: "a performance CPU count Fly does not offer",
      edit: guest("performance", 3, 6144),
      path: "apps.api.groups.web.guest.cpus",
      formatted:
        "staging: apps.api.groups.web.guest.cpus: 3 CPUs is not offered for performance machines; allowed: 1, 2, 4, 6, 8, 10, 12, 14, 16",
    },
    {
      title: "a bad CPU count and bad memory: only the CPU count is reported",
      edit: guest("shared", 5, 1),
      path: "apps.api.groups.web.guest.cpus",
      formatted: "staging: apps.api.groups.web.guest.cpus: 5 CPUs is not offered for shared machines; allowed: 1, 2, 4, 6, 8",
    },
    {
      title: "shared memory below 256 MB per CPU",
      edit: guest("shared", 1, 128),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted: "staging: apps.api.groups.web.guest.memoryMb: 128 MB is not valid for shared-cpu-1x: allowed 256 to 2048 MB in steps of 256 MB",
    },
    {
      title: "shared memory above 2 GB per CPU",
      edit: guest("shared", 2, 4352),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted: "staging: apps.api.groups.web.guest.memoryMb: 4352 MB is not valid for shared-cpu-2x: allowed 512 to 4096 MB in steps of 256 MB",
    },
    {
      title: "shared memory off the 256 MB step",
      edit: guest("shared", 2, 600),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted: "staging: apps.api.groups.web.guest.memoryMb: 600 MB is not valid for shared-cpu-2x: allowed 512 to 4096 MB in steps of 256 MB",
    },
    {
      title: "performance memory below 2 GB per CPU",
      edit: guest("performance", 1, 1024),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted:
        "staging: apps.api.groups.web.guest.memoryMb: 1024 MB is not valid for performance-cpu-1x: allowed 2048 to 8192 MB in steps of 1024 MB",
    },
    {
      title: "performance memory above 8 GB per CPU",
      edit: guest("performance", 2, 17408),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted:
        "staging: apps.api.groups.web.guest.memoryMb: 17408 MB is not valid for performance-cpu-2x: allowed 4096 to 16384 MB in steps of 1024 MB",
    },
    {
      title: "performance memory off the 1024 MB step",
      edit: guest("performance", 2, 4608),
      path: "apps.api.groups.web.guest.memoryMb",
      formatted:
        "staging: apps.api.groups.web.guest.memoryMb: 4608 MB is not valid for performance-cpu-2x: allowed 4096 to 16384 MB in steps of 1024 MB",
    },
  ]);
  accepts([
    { title: "shared-cpu-1x at its minimum, 256 MB", edit: guest("shared", 1, 256) },
    { title: "shared-cpu-1x at its maximum, 2048 MB", edit: guest("shared", 1, 2048) },
    { title: "shared-cpu-2x with 768 MB", edit: guest("shared", 2, 768) },
    { title: "shared-cpu-8x at its maximum, 16384 MB", edit: guest("shared", 8, 16384) },
    { title: "performance-cpu-1x at its minimum, 2048 MB", edit: guest("performance", 1, 2048) },
    { title: "performance-cpu-2x with 5120 MB", edit: guest("performance", 2, 5120) },
    { title: "performance-cpu-16x at its maximum, 131072 MB", edit: guest("performance", 16, 131072) },
  ]);
});

describe("pinned-images", () => {
  const image = (ref: string) => (env: MutableEnvironment) => void (web(env).image = ref);
  const notPinned = (ref: string) =>
    `staging: apps.api.groups.web.image: image "${ref}" is not pinned; use a digest (@sha256:…) or a tag other than "latest"`;
  const malformed = (ref: string) =>
    `staging: apps.api.groups.web.image: image "${ref}" has a malformed digest; expected @sha256: followed by 64 hex characters`;
  const at = "apps.api.groups.web.image";

  refuses([
    { title: "no tag", edit: image("registry.fly.io/acme-api"), path: at, formatted: notPinned("registry.fly.io/acme-api") },
    { title: "the latest tag", edit: image("registry.fly.io/acme-api:latest"), path: at, formatted: notPinned("registry.fly.io/acme-api:latest") },
    { title: "a registry with a port and no tag", edit: image("localhost:5000/app"), path: at, formatted: notPinned("localhost:5000/app") },
    { title: "a short digest", edit: image("acme-api@sha256:abc123"), path: at, formatted: malformed("acme-api@sha256:abc123") },
    {
      title: "an upper-case hex digest",
      edit: image(`acme-api@${DIGEST.toUpperCase()}`),
      path: at,
      formatted: malformed(`acme-api@${DIGEST.toUpperCase()}`),
    },
    {
      title: "a digest of another algorithm",
      edit: image(`acme-api@sha512:${"ab".repeat(32)}`),
      path: at,
      formatted: malformed(`acme-api@sha512:${"ab".repeat(32)}`),
    },
    {
      title: "a malformed digest even with a good tag",
      edit: image("acme-api:v1@sha256:nothex"),
      path: at,
      formatted: malformed("acme-api:v1@sha256:nothex"),
    },
  ]);
  accepts([
    { title: "a version tag", edit: image("registry.fly.io/acme-api:v1.42.0") },
    { title: "a valid digest", edit: image(`registry.fly.io/acme-api@${DIGEST}`) },
    { title: "a tag with a valid digest", edit: image(`registry.fly.io/acme-api:v1.42.0@${DIGEST}`) },
    { title: "latest with a valid digest (the digest pins it)", edit: image(`acme-api:latest@${DIGEST}`) },
    { title: "a registry with a port and a tag", edit: image("localhost:5000/app:1.2") },
    { title: "a registry with a port and a digest", edit: image(`localhost:5000/app@${DIGEST}`) },
  ]);
});

describe("volume-per-machine", () => {
  const NAME_24 = "abcdefghijklmnopqrstuvwx"; // + "_iad_1" = 30 characters, the maximum
  const NAME_25 = "abcdefghijklmnopqrstuvwxy"; // + "_iad_1" = 31 characters
  const volume = (name: string) => ({ name, path: "/data", sizeGb: 1 });

  refuses([
    {
      title: "a name whose per-machine volume names exceed 30 characters",
      edit: (env) => void (web(env).volume = volume(NAME_25)),
      path: "apps.api.groups.web.volume.name",
      formatted: `staging: apps.api.groups.web.volume.name: volume name "${NAME_25}_iad_1" is 31 characters; Fly allows at most 30, so shorten "${NAME_25}"`,
    },
    {
      title: "a name that fits for machine 1 but not for machine 10 (count 10)",
      edit: (env) => Object.assign(web(env), { volume: volume(NAME_24), count: 10 }),
      path: "apps.api.groups.web.volume.name",
      formatted: `staging: apps.api.groups.web.volume.name: volume name "${NAME_24}_iad_10" is 31 characters; Fly allows at most 30, so shorten "${NAME_24}"`,
    },
    {
      title: "the same volume name in two groups of one app",
      edit: (env) => {
        web(env).volume = volume("data");
        env.apps.api.groups.worker = { ...validGroup(), volume: volume("data") };
      },
      path: "apps.api.groups.worker.volume.name",
      formatted:
        'staging: apps.api.groups.worker.volume.name: volume name "data" is already used by apps.api.groups.web; each machine needs its own volume',
    },
  ]);
  accepts([
    { title: "a name at exactly 30 characters", edit: (env) => void (web(env).volume = volume(NAME_24)) },
    { title: "count 9 with a 24-character name (30 characters)", edit: (env) => Object.assign(web(env), { volume: volume(NAME_24), count: 9 }) },
    {
      title: "different volume names in two groups of one app",
      edit: (env) => {
        web(env).volume = volume("data");
        env.apps.api.groups.worker = { ...validGroup(), volume: volume("cache") };
      },
    },
    {
      title: "the same volume name in two different apps",
      edit: (env) => {
        withWorkerApp(env);
        web(env).volume = volume("data");
        env.apps.worker.groups.worker.volume = volume("data");
      },
    },
  ]);
});

describe("unique-app-names", () => {
  refuses([
    {
      title: "two apps of one environment with the same Fly app name",
      edit: (env) => void (env.apps.api2 = { name: "acme-api-staging", groups: { web: validGroup() } }),
      path: "apps.api2.name",
      formatted: 'staging: apps.api2.name: Fly app name "acme-api-staging" is already used by apps.api; Fly app names are global',
    },
  ]);
  accepts([{ title: "two apps with different Fly app names", edit: (env) => void withWorkerApp(env) }]);
});

describe("hostnames-in-zone", () => {
  const domains = (...hostnames: string[]) => (env: MutableEnvironment) => void (env.apps.api.domains = hostnames);
  const invalid = (hostname: string, i = 0) =>
    `staging: apps.api.domains[${i}]: "${hostname}" is not a valid lowercase hostname (a wildcard is allowed only as the first label, "*.")`;
  const outside = (hostname: string) =>
    `staging: apps.api.domains[0]: hostname "${hostname}" is outside the environment's DNS zone "example.com"; use "example.com" or a name ending in ".example.com"`;

  refuses([
    { title: "a hostname in another domain", edit: domains("api.example.org"), path: "apps.api.domains[0]", formatted: outside("api.example.org") },
    {
      title: "a hostname that merely ends in the zone's text",
      edit: domains("badexample.com"),
      path: "apps.api.domains[0]",
      formatted: outside("badexample.com"),
    },
    { title: "the zone's parent", edit: domains("com"), path: "apps.api.domains[0]", formatted: outside("com") },
    { title: "an upper-case hostname", edit: domains("API.example.com"), path: "apps.api.domains[0]", formatted: invalid("API.example.com") },
    { title: "an empty label", edit: domains("api..example.com"), path: "apps.api.domains[0]", formatted: invalid("api..example.com") },
    { title: "a label starting with a dash", edit: domains("-api.example.com"), path: "apps.api.domains[0]", formatted: invalid("-api.example.com") },
    { title: "a wildcard that is not the first label", edit: domains("a.*.example.com"), path: "apps.api.domains[0]", formatted: invalid("a.*.example.com") },
    { title: "a trailing dot", edit: domains("api.example.com."), path: "apps.api.domains[0]", formatted: invalid("api.example.com.") },
    {
      title: "a label longer than 63 characters",
      edit: domains(`${"a".repeat(64)}.example.com`),
      path: "apps.api.domains[0]",
      formatted: invalid(`${"a".repeat(64)}.example.com`),
    },
    {
      title: "the same hostname served by two apps",
      edit: (env) => {
        withWorkerApp(env);
        env.apps.api.domains = ["api.example.com"];
        env.apps.worker.domains = ["www.example.com", "api.example.com"];
      },
      path: "apps.worker.domains[1]",
      formatted: 'staging: apps.worker.domains[1]: hostname "api.example.com" is already served by apps.api.domains[0]',
    },
    {
      title: "the same hostname twice in one app",
      edit: domains("api.example.com", "api.example.com"),
      path: "apps.api.domains[1]",
      formatted: 'staging: apps.api.domains[1]: hostname "api.example.com" is already served by apps.api.domains[0]',
    },
  ]);
  accepts([
    { title: "the apex", edit: domains("example.com") },
    { title: "a subdomain", edit: domains("api.example.com") },
    { title: "a deep subdomain with digits and dashes", edit: domains("eu-1.api.staging.example.com") },
    { title: "a wildcard directly under the zone", edit: domains("*.example.com") },
    { title: "a wildcard first label deeper down", edit: domains("*.preview.staging.example.com") },
    { title: "the apex, a subdomain and a wildcard together", edit: domains("example.com", "www.example.com", "*.example.com") },
    {
      title: "different hostnames in two apps",
      edit: (env) => {
        withWorkerApp(env);
        env.apps.api.domains = ["api.example.com"];
        env.apps.worker.domains = ["worker.example.com"];
      },
    },
  ]);
});

describe("secret-names", () => {
  const secret = (name: string) => (env: MutableEnvironment) => void (env.apps.api.secrets = { [name]: { version: "1" } });
  const invalid = (name: string) =>
    `staging: apps.api.secrets.${name}: secret name "${name}" is not a valid environment variable name; use uppercase letters, digits and underscores, not starting with a digit`;

  refuses([
    { title: "a lower-case secret name", edit: secret("database_url"), path: "apps.api.secrets.database_url", formatted: invalid("database_url") },
    { title: "a secret name with a dash", edit: secret("DATABASE-URL"), path: "apps.api.secrets.DATABASE-URL", formatted: invalid("DATABASE-URL") },
    { title: "a secret name starting with a digit", edit: secret("9LIVES"), path: "apps.api.secrets.9LIVES", formatted: invalid("9LIVES") },
    {
      title: "a secret also set in a group's plain env",
      edit: (env) => {
        env.apps.api.secrets = { DATABASE_URL: { version: "1" } };
        web(env).env = { NODE_ENV: "staging", DATABASE_URL: "postgres://localhost/db" };
      },
      path: "apps.api.groups.web.env.DATABASE_URL",
      formatted:
        'staging: apps.api.groups.web.env.DATABASE_URL: "DATABASE_URL" is a secret of this app and must not also be set in plain env; remove it from env',
    },
  ]);
  accepts([
    { title: "an upper-case name with digits and underscores", edit: secret("DATABASE_URL_2") },
    { title: "a name starting with an underscore", edit: secret("_INTERNAL") },
    {
      title: "a secret and different plain env names",
      edit: (env) => {
        env.apps.api.secrets = { DATABASE_URL: { version: "1" } };
        web(env).env = { NODE_ENV: "staging" };
      },
    },
    {
      title: "another app's plain env using the name of this app's secret",
      edit: (env) => {
        withWorkerApp(env);
        env.apps.api.secrets = { DATABASE_URL: { version: "1" } };
        env.apps.worker.groups.worker.env = { DATABASE_URL: "postgres://replica/db" };
      },
    },
  ]);

  test("a secret set in the env of two groups is reported in each", () => {
    const env = validEnvironment();
    env.apps.api.secrets = { DATABASE_URL: { version: "1" } };
    env.apps.api.groups.worker = { ...validGroup(), env: { DATABASE_URL: "x" } };
    web(env).env = { DATABASE_URL: "x" };
    expect(issuesOf(env).map((i) => i.path)).toEqual([
      "apps.api.groups.web.env.DATABASE_URL",
      "apps.api.groups.worker.env.DATABASE_URL",
    ]);
  });
});

describe("no-credentials-in-env", () => {
  const envVar = (name: string, value = "value") => (env: MutableEnvironment) =>
    void (web(env).env = { NODE_ENV: "staging", [name]: value });
  const credential = (name: string, word: string) =>
    `staging: apps.api.groups.web.env.${name}: "${name}" looks like a credential (its name contains ${word}); declare it under apps.api.secrets instead of plain env`;
  const invalid = (name: string) =>
    `staging: apps.api.groups.web.env.${name}: "${name}" is not a valid environment variable name; use uppercase letters, digits and underscores`;

  refuses([
    { title: "a name containing KEY", edit: envVar("STRIPE_API_KEY"), path: "apps.api.groups.web.env.STRIPE_API_KEY", formatted: credential("STRIPE_API_KEY", "KEY") },
    { title: "a name containing SECRET", edit: envVar("SESSION_SECRET"), path: "apps.api.groups.web.env.SESSION_SECRET", formatted: credential("SESSION_SECRET", "SECRET") },
    { title: "a name containing TOKEN", edit: envVar("GITHUB_TOKEN"), path: "apps.api.groups.web.env.GITHUB_TOKEN", formatted: credential("GITHUB_TOKEN", "TOKEN") },
    { title: "a name containing PASSWORD", edit: envVar("DB_PASSWORD"), path: "apps.api.groups.web.env.DB_PASSWORD", formatted: credential("DB_PASSWORD", "PASSWORD") },
    { title: "a bare credential word", edit: envVar("TOKEN"), path: "apps.api.groups.web.env.TOKEN", formatted: credential("TOKEN", "TOKEN") },
    { title: "a lower-case name", edit: envVar("node_env"), path: "apps.api.groups.web.env.node_env", formatted: invalid("node_env") },
    { title: "a name with a dash", edit: envVar("LOG-LEVEL"), path: "apps.api.groups.web.env.LOG-LEVEL", formatted: invalid("LOG-LEVEL") },
    { title: "a name starting with a digit", edit: envVar("1PORT"), path: "apps.api.groups.web.env.1PORT", formatted: invalid("1PORT") },
    { title: "an invalid name is reported as invalid, not as a credential", edit: envVar("api_key"), path: "apps.api.groups.web.env.api_key", formatted: invalid("api_key") },
  ]);
  accepts([
    { title: "ordinary names", edit: (env) => void (web(env).env = { NODE_ENV: "staging", PORT: "8080", LOG_LEVEL: "debug", PRIMARY_REGION: "iad" }) },
    { title: "a name with digits and a leading underscore", edit: envVar("_WORKERS_2") },
    { title: "a credential-looking value under a plain name (only names are checked)", edit: envVar("GREETING", "password=hunter2 token=abc") },
  ]);

  test("the word reported is the first credential word of the name", () => {
    expect(formattedIssuesOf(edited(envVar("SECRET_TOKEN_KEY")))).toEqual([credential("SECRET_TOKEN_KEY", "SECRET")]);
  });

  refuses([
    { title: "a credential word glued to a qualifier (APIKEY)", edit: envVar("STRIPE_APIKEY"), path: "apps.api.groups.web.env.STRIPE_APIKEY", formatted: credential("STRIPE_APIKEY", "KEY") },
    { title: "a glued PASSWORD (DBPASSWORD)", edit: envVar("DBPASSWORD"), path: "apps.api.groups.web.env.DBPASSWORD", formatted: credential("DBPASSWORD", "PASSWORD") },
    { title: "a plural (KEYS)", edit: envVar("SIGNING_KEYS"), path: "apps.api.groups.web.env.SIGNING_KEYS", formatted: credential("SIGNING_KEYS", "KEY") },
    { title: "PASSWD", edit: envVar("SMTP_PASSWD"), path: "apps.api.groups.web.env.SMTP_PASSWD", formatted: credential("SMTP_PASSWD", "PASSWORD") },
  ]);
  accepts([
    { title: "a word that merely contains KEY (MONKEY_COUNT)", edit: envVar("MONKEY_COUNT") },
    { title: "a word that starts with KEY (KEYSPACE)", edit: envVar("KEYSPACE") },
    { title: "a word that starts with TOKEN (TOKENIZER)", edit: envVar("TOKENIZER_MODEL") },
  ]);
});

describe("services", () => {
  const service = (edit: (s: ReturnType<typeof validService>) => void) => (env: MutableEnvironment) => {
    const s = validService();
    edit(s);
    web(env).services = [s];
  };

  refuses([
    {
      title: "a soft limit above the hard limit",
      edit: service((s) => void (s.concurrency = { type: "requests", softLimit: 300, hardLimit: 250 })),
      path: "apps.api.groups.web.services[0].concurrency.softLimit",
      formatted: "staging: apps.api.groups.web.services[0].concurrency.softLimit: softLimit 300 is above hardLimit 250; it must be at most hardLimit",
    },
    {
      title: "more machines kept running than the count",
      edit: (env) => {
        service((s) => void (s.minMachinesRunning = 3))(env);
        web(env).count = 2;
      },
      path: "apps.api.groups.web.services[0].minMachinesRunning",
      formatted:
        "staging: apps.api.groups.web.services[0].minMachinesRunning: 3 machines cannot be kept running: the primary region has 2 (count); allowed 0 to 2",
    },
    {
      title: "minMachinesRunning 2 without a count (count defaults to 1)",
      edit: service((s) => void (s.minMachinesRunning = 2)),
      path: "apps.api.groups.web.services[0].minMachinesRunning",
      formatted:
        "staging: apps.api.groups.web.services[0].minMachinesRunning: 2 machines cannot be kept running: the primary region has 1 (count); allowed 0 to 1",
    },
    {
      title: "an http service check without a path",
      edit: service((s) => void (s.checks = [{ type: "tcp" }, { type: "http", interval: "10s" }])),
      path: "apps.api.groups.web.services[0].checks[1].path",
      formatted: 'staging: apps.api.groups.web.services[0].checks[1].path: an http check needs a path such as "/health"',
    },
    {
      title: "an http machine-level check without a path",
      edit: (env) => void (web(env).checks = [{ type: "http", port: 9090 }]),
      path: "apps.api.groups.web.checks[0].path",
      formatted: 'staging: apps.api.groups.web.checks[0].path: an http check needs a path such as "/health"',
    },
    {
      title: "a command together with a volume",
      edit: (env) => Object.assign(web(env), { command: ["node", "server.js"], volume: { name: "data", path: "/data", sizeGb: 1 } }),
      path: "apps.api.groups.web.command",
      formatted:
        "staging: apps.api.groups.web.command: a group with a volume cannot set command: the provider runs a command only in a container, and its containers take no volume mounts; bake the command into the image instead",
    },
    {
      title: 'maxRetries with the "always" policy',
      edit: (env) => void (web(env).restart = { policy: "always", maxRetries: 3 }),
      path: "apps.api.groups.web.restart.maxRetries",
      formatted: 'staging: apps.api.groups.web.restart.maxRetries: maxRetries applies only to the "on-failure" policy, not "always"',
    },
    {
      title: 'maxRetries 0 with the "no" policy',
      edit: (env) => void (web(env).restart = { policy: "no", maxRetries: 0 }),
      path: "apps.api.groups.web.restart.maxRetries",
      formatted: 'staging: apps.api.groups.web.restart.maxRetries: maxRetries applies only to the "on-failure" policy, not "no"',
    },
  ]);
  accepts([
    { title: "a service with no optional settings", edit: service(() => undefined) },
    { title: "a soft limit equal to the hard limit", edit: service((s) => void (s.concurrency = { type: "connections", softLimit: 25, hardLimit: 25 })) },
    {
      title: "minMachinesRunning equal to the count",
      edit: (env) => {
        service((s) => Object.assign(s, { autostop: "stop", minMachinesRunning: 2 }))(env);
        web(env).count = 2;
      },
    },
    { title: "minMachinesRunning 1 with the default count", edit: service((s) => void (s.minMachinesRunning = 1)) },
    { title: "an http service check with a path", edit: service((s) => void (s.checks = [{ type: "http", path: "/health" }])) },
    { title: "a tcp service check without a path", edit: service((s) => void (s.checks = [{ type: "tcp" }])) },
    { title: "an http machine-level check with a path", edit: (env) => void (web(env).checks = [{ type: "http", port: 9090, path: "/healthz" }]) },
    { title: "a tcp machine-level check without a path", edit: (env) => void (web(env).checks = [{ type: "tcp", port: 9090 }]) },
    { title: "a command without a volume", edit: (env) => void (web(env).command = ["node", "server.js"]) },
    { title: "a volume without a command", edit: (env) => void (web(env).volume = { name: "data", path: "/data", sizeGb: 1 }) },
    { title: 'maxRetries with the "on-failure" policy', edit: (env) => void (web(env).restart = { policy: "on-failure", maxRetries: 5 }) },
    { title: 'the "always" policy without maxRetries', edit: (env) => void (web(env).restart = { policy: "always" }) },
  ]);

  test("reports problems in every service of a group, each at its index", () => {
    const env = validEnvironment();
    web(env).services = [
      { ...validService(), checks: [{ type: "http" }] },
      { ...validService(), internalPort: 9000, concurrency: { type: "connections", softLimit: 10, hardLimit: 5 }, checks: [{ type: "http" }] },
    ];
    expect(issuesOf(env).map((i) => i.path)).toEqual([
      "apps.api.groups.web.services[0].checks[0].path",
      "apps.api.groups.web.services[1].concurrency.softLimit",
      "apps.api.groups.web.services[1].checks[0].path",
    ]);
  });
});

describe("fixes found in review", () => {
  test("an empty tag is not a pin", () => {
    const env = validEnvironment();
    web(env).image = "registry.fly.io/acme-api:";
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.api.groups.web.image: image "registry.fly.io/acme-api:" has an empty tag; write "repository:tag", "repository@sha256:…" or both',
    ]);
  });

  test("an apex hostname on an app without public IPv4 and IPv6 is refused", () => {
    const env = validEnvironment();
    env.apps.api.domains = [env.dns.zone];
    env.apps.api.ips = { sharedIpv4: false, ipv6: true };
    expect(formattedIssuesOf(env)).toEqual([
      `staging: apps.api.domains[0]: the apex "${env.dns.zone}" needs A and AAAA records, so the app needs a public IPv4 (sharedIpv4 or dedicatedIpv4) and ipv6; enable them in apps.api.ips`,
    ]);
    env.apps.api.ips = { sharedIpv4: false, dedicatedIpv4: true };
    expect(formattedIssuesOf(env)).toEqual([]);
  });

  test("a hostname longer than 253 characters is refused", () => {
    const env = validEnvironment();
    const long = `${["a", "b", "c", "d"].map((c) => c.repeat(63)).join(".")}.${env.dns.zone}`;
    env.apps.api.domains = [long];
    expect(formattedIssuesOf(env)).toEqual([
      `staging: apps.api.domains[0]: is ${long.length} characters; at most 253 characters (DNS's limit) allowed`,
    ]);
  });
});

describe("slo", () => {
  const withSlo = (edit: (env: MutableEnvironment) => void = () => undefined) => (env: MutableEnvironment) => {
    web(env).services = [{ ...validService(), slo: { availability: 99.9 } }];
    edit(env);
  };

  refuses([
    {
      title: "an objective on a service without an http handler",
      edit: withSlo((env) => void (web(env).services![0].ports = [{ port: 5432 }])),
      path: "apps.api.groups.web.services[0].slo",
      formatted: `staging: apps.api.groups.web.services[0].slo: needs a port with the "http" handler: Fly's edge metrics the objectives are measured on count only HTTP responses`,
    },
    {
      title: "an objective on an app without a public address",
      edit: withSlo((env) => void (env.apps.api.ips = { sharedIpv4: false, ipv6: false, flycast: true })),
      path: "apps.api.groups.web.services[0].slo",
      formatted: `staging: apps.api.groups.web.services[0].slo: app "api" has no public address (ips): Fly's edge metrics count only traffic through its public proxy`,
    },
    {
      title: "objectives on two services of one app",
      edit: withSlo((env) => {
        env.apps.api.groups.admin = { ...validGroup(), services: [{ ...validService(), slo: { latencyMs: { p: 99, under: 250 } } }] };
      }),
      path: "apps.api.groups.admin.services[0].slo",
      formatted: `staging: apps.api.groups.admin.services[0].slo: apps.api.groups.web.services[0].slo already declares this app's objectives; Fly's edge metrics cover all of an app's HTTP traffic, so an app has one slo`,
    },
    {
      title: "an objective of 100%",
      edit: withSlo((env) => void (web(env).services![0].slo = { availability: 100 })),
      path: "apps.api.groups.web.services[0].slo.availability",
      formatted: "staging: apps.api.groups.web.services[0].slo.availability: must be at most 99.999: 100% leaves no error budget (every error would page), and a finer objective one too small to measure",
    },
    {
      title: "a latency percentile below 50",
      edit: withSlo((env) => void (web(env).services![0].slo = { latencyMs: { p: 10, under: 500 } })),
      path: "apps.api.groups.web.services[0].slo.latencyMs.p",
      formatted: "staging: apps.api.groups.web.services[0].slo.latencyMs.p: must be a percentage from 50 to 99.999",
    },
    {
      title: "an empty slo",
      edit: withSlo((env) => void (web(env).services![0].slo = {})),
      path: "apps.api.groups.web.services[0].slo",
      formatted: "staging: apps.api.groups.web.services[0].slo: must declare availability, latencyMs or both",
    },
    {
      title: "a metrics path without a leading slash",
      edit: (env) => void (web(env).metrics = { port: 9091, path: "metrics" }),
      path: "apps.api.groups.web.metrics.path",
      formatted: 'staging: apps.api.groups.web.metrics.path: must start with "/"',
    },
  ]);

  accepts([
    { title: "availability and latency on the public http service", edit: withSlo((env) => void (web(env).services![0].slo = { availability: 99.95, latencyMs: { p: 99, under: 500 } })) },
    { title: "an app with only IPv6 public", edit: withSlo((env) => void (env.apps.api.ips = { sharedIpv4: false, ipv6: true })) },
    { title: "objectives on two different apps", edit: withSlo((env) => void (withWorkerApp(env).apps.worker.groups.worker.services = [{ ...validService(), slo: { availability: 99 } }])) },
    { title: "a group's metrics", edit: (env) => void (web(env).metrics = { port: 9091 }) },
  ]);
});

describe("monitoring", () => {
  const monitoring = (edit: (m: NonNullable<MutableEnvironment["monitoring"]>, env: MutableEnvironment) => void = () => undefined) => (env: MutableEnvironment) => {
    env.monitoring = { name: "acme-monitoring-staging", region: "iad", prometheusTokenVersion: "1", receivers: { page: { kind: "slack", version: "1" } } };
    edit(env.monitoring, env);
  };

  refuses([
    {
      title: "an app keyed monitoring",
      edit: monitoring((_m, env) => void (env.apps.monitoring = { name: "acme-mon-staging", groups: { web: validGroup() } })),
      path: "apps.monitoring",
      formatted: `staging: apps.monitoring: the app key "monitoring" is the monitoring app's when "monitoring" is set; rename this app's key`,
    },
    {
      title: "an app's Fly name",
      edit: monitoring((m) => void (m.name = "acme-api-staging")),
      path: "monitoring.name",
      formatted: `staging: monitoring.name: Fly app name "acme-api-staging" is already used by apps.api; Fly app names are global`,
    },
    {
      title: "an unknown region",
      edit: monitoring((m) => void (m.region = "mars")),
      path: "monitoring.region",
      formatted: `staging: monitoring.region: unknown Fly region "mars"; allowed: ${ALLOWED_REGIONS}`,
    },
    {
      title: "a guest size Fly does not offer",
      edit: monitoring((m) => void (m.guest = { cpuKind: "shared", cpus: 3, memoryMb: 256 })),
      path: "monitoring.guest.cpus",
      formatted: "staging: monitoring.guest.cpus: 3 CPUs is not offered for shared machines; allowed: 1, 2, 4, 6, 8",
    },
    {
      title: "a runbook link with a space",
      edit: monitoring((m) => void (m.runbookUrl = "docs/run book.md")),
      path: "monitoring.runbookUrl",
      formatted: "staging: monitoring.runbookUrl: must be a URL or path without spaces or quotes (it is written into every alert's runbook_url)",
    },
    {
      title: "an unknown receiver kind",
      edit: monitoring((m) => void ((m.receivers.page as { kind: string }).kind = "email")),
      path: "monitoring.receivers.page.kind",
      formatted: 'staging: monitoring.receivers.page.kind: must be "slack", "pagerduty" or "webhook"',
    },
  ]);

  accepts([
    { title: "a page receiver only", edit: monitoring() },
    { title: "page and ticket receivers, a guest and a runbook URL", edit: monitoring((m) => Object.assign(m, { receivers: { page: { kind: "pagerduty", version: "1" }, ticket: { kind: "webhook", version: "2" } }, guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 }, runbookUrl: "https://github.com/acme/infra/blob/main/docs/runbook.md" })) },
  ]);

  test("the monitoring app's Fly name must differ from other environments' apps", () => {
    const staging = edited(monitoring());
    const production = validEnvironment("production");
    production.apps.api.name = "acme-monitoring-staging";
    let issues: string[] = [];
    try {
      validateEnvironments([
        { name: "production", value: production },
        { name: "staging", value: staging },
      ]);
    } catch (error) {
      if (!(error instanceof ConfigValidationError)) throw error;
      issues = error.issues.map(formatIssue);
    }
    expect(issues).toEqual([`staging: monitoring.name: Fly app name "acme-monitoring-staging" is already used by production: apps.api; Fly app names are global`]);
  });
});

describe("group-files", () => {
  const file = (f: Record<string, unknown>) => (env: MutableEnvironment) => void (web(env).files = [f as never]);
  refuses([
    {
      title: "a file held by a secret the app does not declare",
      edit: file({ guestPath: "/etc/app/key.pem", secretName: "TLS_KEY" }),
      path: "apps.api.groups.web.files[0].secretName",
      formatted: 'staging: apps.api.groups.web.files[0].secretName: "TLS_KEY" is not a secret of this app; declared: none (add it under the app\'s secrets)',
    },
    {
      title: "the same path twice",
      edit: (env) => void (web(env).files = [{ guestPath: "/etc/a", rawValue: "YQ==" }, { guestPath: "/etc/a", rawValue: "Yg==" }]),
      path: "apps.api.groups.web.files[1].guestPath",
      formatted: 'staging: apps.api.groups.web.files[1].guestPath: "/etc/a" is written twice; each path once',
    },
  ]);
  accepts([
    {
      title: "inline content and a declared secret",
      edit: (env) => {
        env.apps.api.secrets = { TLS_KEY: { version: "1" } };
        web(env).files = [{ guestPath: "/etc/a", rawValue: "YQ==", mode: 0o600 }, { guestPath: "/etc/b", secretName: "TLS_KEY" }];
      },
    },
  ]);
});

describe("guest-size on a release machine", () => {
  refuses([
    {
      title: "a release machine size Fly does not offer",
      edit: (env) => void (web(env).release = { command: ["bin/migrate"], guest: { cpuKind: "shared", cpus: 3, memoryMb: 768 } }),
      path: "apps.api.groups.web.release.guest.cpus",
      formatted: "staging: apps.api.groups.web.release.guest.cpus: 3 CPUs is not offered for shared machines; allowed: 1, 2, 4, 6, 8",
    },
  ]);
  accepts([{ title: "a larger release machine", edit: (env) => void (web(env).release = { command: ["bin/migrate"], guest: { cpuKind: "performance", cpus: 2, memoryMb: 4096 } }) }]);
});

