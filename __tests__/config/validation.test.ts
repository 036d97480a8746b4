/**
 * `src/config/validate.ts` end to end: the structural schema, the name/file check, reporting
 * every problem at once, and the cross-environment rule. (Per-rule checks: rules.test.ts;
 * loading environment files: load.test.ts.)
 */
import { environmentIssues, validateEnvironments } from "../../src/config/validate";
import { type ConfigIssue, ConfigValidationError, formatIssue, formatPath } from "../../src/config/issue";
import {
  type MutableEnvironment,
  formattedIssuesOf,
  issuesOf,
  loose,
  validEnvironment,
  validGroup,
  validService,
  web,
  withWorkerApp,
} from "./fixtures";

/** Runs `validateEnvironments` and returns the error it throws (failing the test if it does not throw). */
function validationError(...args: Parameters<typeof validateEnvironments>): ConfigValidationError {
  try {
    validateEnvironments(...args);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigValidationError);
    return error as ConfigValidationError;
  }
  throw new Error("validateEnvironments did not throw");
}

describe("formatPath and formatIssue", () => {
  test("render keys with dots and indexes in brackets", () => {
    expect(formatPath(["apps", "api", "groups", "web", "regions", 1])).toBe("apps.api.groups.web.regions[1]");
    expect(formatPath([0, "name"])).toBe("[0].name");
    expect(formatPath([])).toBe("");
  });

  test("print environment, path and message; no path for whole-file problems", () => {
    expect(formatIssue({ environment: "production", path: "apps.api.groups.web.regions[1]", message: 'unknown Fly region "xyz"' })).toBe(
      'production: apps.api.groups.web.regions[1]: unknown Fly region "xyz"',
    );
    expect(formatIssue({ environment: "production", path: "", message: "has no default export" })).toBe("production: has no default export");
  });
});

describe("structural schema", () => {
  interface SchemaCase {
    readonly title: string;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- these configs break the types on purpose
    readonly edit: (env: any) => void;
    readonly path: string;
    /** Our own message in full, or the part of zod's message that names what is allowed. */
    readonly message: string;
  }

  const cases: SchemaCase[] = [
    // Unknown keys (typos)
    { title: "a typo'd group key next to the real one", edit: (e) => (e.apps.api.groups.web.regoins = ["iad"]), path: "apps.api.groups.web", message: 'Unrecognized key: "regoins"' },
    { title: "an unknown top-level key", edit: (e) => (e.protect = true), path: "", message: 'Unrecognized key: "protect"' },
    { title: "an s3 field on the hcp backend", edit: (e) => (e.state = { backend: "hcp", organization: "acme", bucket: "x" }), path: "state", message: 'Unrecognized key: "bucket"' },
    // Wrong types
    { title: "count as a string", edit: (e) => (e.apps.api.groups.web.count = "2"), path: "apps.api.groups.web.count", message: "expected number, received string" },
    { title: "a fractional count", edit: (e) => (e.apps.api.groups.web.count = 1.5), path: "apps.api.groups.web.count", message: "expected int" },
    { title: "protected as a string", edit: (e) => (e.protected = "yes"), path: "protected", message: "expected boolean, received string" },
    { title: "a numeric env value", edit: (e) => (e.apps.api.groups.web.env = { PORT: 8080 }), path: "apps.api.groups.web.env.PORT", message: "expected string, received number" },
    { title: "a secret given as its value", edit: (e) => (e.apps.api.secrets = { API_TOKEN: "hunter2" }), path: "apps.api.secrets.API_TOKEN", message: "expected object, received string" },
    // Missing required fields
    { title: "a group without an image", edit: (e) => delete e.apps.api.groups.web.image, path: "apps.api.groups.web.image", message: "expected string, received undefined" },
    { title: "fly without org", edit: (e) => (e.fly = {}), path: "fly.org", message: "expected string, received undefined" },
    { title: "no state", edit: (e) => delete e.state, path: "state", message: "expected object, received undefined" },
    { title: "hcp state without organization", edit: (e) => (e.state = { backend: "hcp" }), path: "state.organization", message: "expected string, received undefined" },
    { title: "a machine-level check without a port", edit: (e) => (e.apps.api.groups.web.checks = [{ type: "tcp" }]), path: "apps.api.groups.web.checks[0].port", message: "a machine-level check needs a port (1 to 65535)" },
    { title: "a machine-level check name with a space", edit: (e) => (e.apps.api.groups.web.checks = [{ type: "tcp", port: 80, name: "has space" }]), path: "apps.api.groups.web.checks[0].name", message: "must be letters, digits, '_', '.' or '-', starting with a letter or digit" },
    {
      title: "two machine-level checks under one name (given, or flystack's <type>_<port>_<n>)",
      edit: (e) => (e.apps.api.groups.web.checks = [{ type: "tcp", port: 80 }, { type: "tcp", port: 81, name: "tcp_80_0" }]),
      path: "apps.api.groups.web.checks[1].name",
      message: '"tcp_80_0" names two machine-level checks; each needs its own name',
    },
    { title: "a name on a service check (Fly's service checks have none)", edit: (e) => (e.apps.api.groups.web.services = [{ internalPort: 80, ports: [{ port: 443 }], checks: [{ type: "tcp", name: "role" }] }]), path: "apps.api.groups.web.services[0].checks[0]", message: 'Unrecognized key: "name"' },
    // Enum values
    { title: 'cpuKind "turbo"', edit: (e) => (e.apps.api.groups.web.guest.cpuKind = "turbo"), path: "apps.api.groups.web.guest.cpuKind", message: 'expected one of "shared"|"performance"' },
    { title: 'a check type "grpc"', edit: (e) => (e.apps.api.groups.web.checks = [{ type: "grpc", port: 80 }]), path: "apps.api.groups.web.checks[0].type", message: 'expected one of "http"|"tcp"' },
    {
      title: 'a port handler "https"',
      edit: (e) => (e.apps.api.groups.web.services = [{ internalPort: 80, ports: [{ port: 443, handlers: ["https"] }] }]),
      path: "apps.api.groups.web.services[0].ports[0].handlers[0]",
      message: 'expected one of "http"|"tls"|"proxy_proto"|"pg_tls"',
    },
    { title: 'restart policy "sometimes"', edit: (e) => (e.apps.api.groups.web.restart = { policy: "sometimes" }), path: "apps.api.groups.web.restart.policy", message: 'expected one of "no"|"always"|"on-failure"' },
    // State backend
    { title: 'state backend "gcs"', edit: (e) => (e.state = { backend: "gcs", bucket: "acme-state" }), path: "state.backend", message: "Expected 's3' | 'hcp' | 'local'" },
    { title: "state without a backend", edit: (e) => (e.state = { bucket: "acme-state" }), path: "state.backend", message: "Expected 's3' | 'hcp' | 'local'" },
    { title: "an s3 endpoint that is not a URL", edit: (e) => (e.state = { backend: "s3", bucket: "acme-state", endpoint: "fly.storage.tigris.dev" }), path: "state.endpoint", message: "Invalid URL" },
    { title: "an s3 endpoint that is not http(s)", edit: (e) => (e.state = { backend: "s3", bucket: "acme-state", endpoint: "ftp://fly.storage.tigris.dev" }), path: "state.endpoint", message: "Invalid URL" },
    // Our own messages, in full
    { title: "a zone id that is not 32 lowercase hex characters", edit: (e) => (e.dns.cloudflareZoneId = "3F2C9A7D1B8E4C6FA0D5E2B7C9F1A4D3"), path: "dns.cloudflareZoneId", message: "must be 32 lowercase hex characters" },
    { title: "a zone id that is too short", edit: (e) => (e.dns.cloudflareZoneId = "3f2c9a7d"), path: "dns.cloudflareZoneId", message: "must be 32 lowercase hex characters" },
    { title: "an upper-case zone", edit: (e) => (e.dns.zone = "Example.com"), path: "dns.zone", message: "must be a lowercase domain such as example.com" },
    { title: "an upper-case environment name", edit: (e) => (e.name = "Staging"), path: "name", message: "must start with a lowercase letter and hold only lowercase letters, digits and dashes" },
    {
      title: "a Fly app name with an underscore",
      edit: (e) => (e.apps.api.name = "acme_api"),
      path: "apps.api.name",
      message: "must be 2 to 63 lowercase letters, digits and dashes, not starting or ending with a dash",
    },
    { title: "no apps", edit: (e) => (e.apps = {}), path: "apps", message: "must define at least one app" },
    { title: "a group name with a dot", edit: (e) => (e.apps.api.groups["web.v2"] = e.apps.api.groups.web), path: 'apps.api.groups["web.v2"]', message: "must be 1 to 63 letters, digits, '_' or '-', not starting or ending with '-'" },
    { title: "a group name flyctl keeps for itself", edit: (e) => (e.apps.api.groups.fly_app_release_command = e.apps.api.groups.web), path: "apps.api.groups.fly_app_release_command", message: "is a process group flyctl keeps for its own machines" },
    { title: "two groups differing only in case", edit: (e) => (e.apps.api.groups.WEB = e.apps.api.groups.web), path: "apps.api.groups.WEB", message: 'differs from group "web" only in case; they would share one internal DNS name' },
    { title: "a file with both content and a secret", edit: (e) => (e.apps.api.groups.web.files = [{ guestPath: "/etc/a", rawValue: "YQ==", secretName: "DATABASE_URL" }]), path: "apps.api.groups.web.files[0]", message: "needs exactly one of rawValue (the base64 content) and secretName (an app secret holding it)" },
    { title: "file content that is not base64", edit: (e) => (e.apps.api.groups.web.files = [{ guestPath: "/etc/a", rawValue: "not base64!" }]), path: "apps.api.groups.web.files[0].rawValue", message: "must be base64" },
    { title: "an app without process groups", edit: (e) => (e.apps.api.groups = {}), path: "apps.api.groups", message: "must define at least one process group" },
    { title: "a group without regions", edit: (e) => (e.apps.api.groups.web.regions = []), path: "apps.api.groups.web.regions", message: "must list at least one region" },
    { title: "a service without ports", edit: (e) => (e.apps.api.groups.web.services = [{ internalPort: 80, ports: [] }]), path: "apps.api.groups.web.services[0].ports", message: "must list at least one port" },
    { title: "a duration without a unit", edit: (e) => (e.apps.api.groups.web.checks = [{ type: "tcp", port: 80, interval: "10" }]), path: "apps.api.groups.web.checks[0].interval", message: 'must be a duration such as "10s", "500ms" or "1m"' },
    { title: "a check path without a leading slash", edit: (e) => (e.apps.api.groups.web.checks = [{ type: "http", port: 80, path: "health" }]), path: "apps.api.groups.web.checks[0].path", message: 'must start with "/"' },
    { title: "a relative volume path", edit: (e) => (e.apps.api.groups.web.volume = { name: "data", path: "data", sizeGb: 1 }), path: "apps.api.groups.web.volume.path", message: 'must be an absolute path starting with "/"' },
    {
      title: "a volume name with a dash",
      edit: (e) => (e.apps.api.groups.web.volume = { name: "pg-data", path: "/data", sizeGb: 1 }),
      path: "apps.api.groups.web.volume.name",
      message: "must start with a lowercase letter and hold only lowercase letters, digits and underscores",
    },
    // Bounds
    { title: "a volume above 500 GB", edit: (e) => (e.apps.api.groups.web.volume = { name: "data", path: "/data", sizeGb: 501 }), path: "apps.api.groups.web.volume.sizeGb", message: "<=500" },
    { title: "a port above 65535", edit: (e) => (e.apps.api.groups.web.services = [{ internalPort: 70000, ports: [{ port: 443 }] }]), path: "apps.api.groups.web.services[0].internalPort", message: "<=65535" },
    { title: "count 0", edit: (e) => (e.apps.api.groups.web.count = 0), path: "apps.api.groups.web.count", message: ">=1" },
  ];

  test.each(cases)("refuses $title at $path", ({ edit, path, message }) => {
    const env = validEnvironment();
    edit(loose(env));
    const issues = issuesOf(env);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.environment).toBe("staging");
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toContain(message);
  });

  test("a typo that replaces a required key reports both the missing key and the unknown one", () => {
    const env = validEnvironment();
    const group = loose(env).apps.api.groups.web;
    group.regoins = group.regions;
    delete group.regions;
    const issues = issuesOf(env);
    expect(issues.map((i) => i.path)).toEqual(["apps.api.groups.web.regions", "apps.api.groups.web"]);
    expect(issues[0]!.message).toContain("expected array, received undefined");
    expect(issues[1]!.message).toBe('Unrecognized key: "regoins"');
  });

  test("an unknown top-level key prints without a path", () => {
    const env = validEnvironment();
    loose(env).protect = true;
    expect(formattedIssuesOf(env)).toEqual(['staging: Unrecognized key: "protect"']);
  });

  test.each([
    ["an app key", (e: MutableEnvironment) => void (e.apps.Bad_Key = { name: "acme-bad", groups: { web: validGroup() } }), "apps.Bad_Key"],
    ["a group key", (e: MutableEnvironment) => void (e.apps.api.groups.Web = validGroup()), "apps.api.groups.Web"],
  ])("refuses %s that is not lowercase-with-dashes, at the key's path", (_, edit, path) => {
    const env = validEnvironment();
    edit(env);
    expect(issuesOf(env).map((i) => i.path)).toEqual([path]);
  });

  test("refuses a value that is not an object at all, at the empty path", () => {
    const issues = issuesOf(42);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe("");
    expect(issues[0]!.message).toContain("expected object, received number");
  });

  test("reports every structural problem of a config, not only the first", () => {
    const env = loose(validEnvironment());
    env.dns.cloudflareZoneId = "nope";
    env.apps.api.groups.web.guest.cpuKind = "turbo";
    env.state = { backend: "gcs" };
    expect(issuesOf(env).map((i) => i.path)).toEqual(["dns.cloudflareZoneId", "state.backend", "apps.api.groups.web.guest.cpuKind"]);
  });

  test("runs no semantic rule on a config that fails the schema", () => {
    const env = validEnvironment();
    web(env).regions = ["xyz"]; // known-regions would refuse this
    web(env).image = "acme-api:latest"; // pinned-images would refuse this
    loose(env).apps.api.groups.web.count = "2";
    const result = environmentIssues({ name: "staging", value: env });
    expect(result.config).toBeUndefined();
    expect(result.issues.map((i) => i.path)).toEqual(["apps.api.groups.web.count"]);
  });

  test.each([
    ["s3 with an https endpoint", { backend: "s3", bucket: "acme-state", region: "auto", endpoint: "https://fly.storage.tigris.dev" }],
    ["s3 with an http endpoint (MinIO)", { backend: "s3", bucket: "acme-state", endpoint: "http://localhost:9000" }],
    ["s3 without an endpoint (AWS)", { backend: "s3", bucket: "acme-state" }],
    ["hcp with a hostname", { backend: "hcp", organization: "acme", hostname: "tfe.example.com" }],
    ["local with a directory", { backend: "local", directory: "../../../.state" }],
  ])("accepts state backend %s", (_, state) => {
    const env = validEnvironment();
    loose(env).state = state;
    expect(issuesOf(env)).toEqual([]);
  });

  test("accepts a group using every optional field", () => {
    const env = validEnvironment();
    env.apps.api.ips = { sharedIpv4: true, ipv6: true, dedicatedIpv4: false, flycast: true };
    env.apps.api.secrets = { DATABASE_URL: { version: "2026-01-01" } };
    env.apps.api.domains = ["api.example.com"];
    env.protected = true;
    Object.assign(web(env), {
      command: ["node", "server.js"],
      count: 2,
      env: { NODE_ENV: "staging" },
      services: [
        {
          ...validService(),
          protocol: "tcp",
          autostop: "suspend",
          autostart: true,
          minMachinesRunning: 1,
          concurrency: { type: "requests", softLimit: 20, hardLimit: 25 },
          checks: [{ type: "http", path: "/health", interval: "10s", timeout: "2s" }],
        },
      ],
      checks: [{ type: "tcp", port: 9090, interval: "15s", timeout: "500ms", gracePeriod: "1m" }],
      restart: { policy: "on-failure", maxRetries: 3 },
      deploy: { strategy: "immediate" },
      release: { command: ["node", "migrate.js"] },
    });
    env.apps.api.groups.db = { ...validGroup(), volume: { name: "pg_data", path: "/data", sizeGb: 10, encrypted: true, snapshotRetentionDays: 14, autoBackup: true } };
    expect(issuesOf(env)).toEqual([]);
  });
});

describe("the environment name must equal the file name", () => {
  test("refuses a config named differently from its file", () => {
    const env = validEnvironment("staging");
    const issues = issuesOf(env, "production");
    expect(issues).toEqual([{ environment: "production", path: "name", message: '"staging" must equal the file name "production"' }]);
    expect(issues.map(formatIssue)).toEqual(['production: name: "staging" must equal the file name "production"']);
  });

  test("still runs every rule on the config, and reports the name first", () => {
    const env = validEnvironment("staging");
    web(env).image = "acme-api:latest";
    const result = environmentIssues({ name: "production", value: env });
    expect(result.config).toBeDefined();
    expect(result.issues.map((i) => i.path)).toEqual(["name", "apps.api.groups.web.image"]);
  });

  test("accepts a config named like its file", () => {
    expect(issuesOf(validEnvironment("production"), "production")).toEqual([]);
  });
});

describe("all problems at once", () => {
  /** One environment with a problem in each of three apps, and one outside the zone. */
  function brokenStaging(): MutableEnvironment {
    const env = withWorkerApp(validEnvironment("staging"));
    env.apps.db = { name: "acme-db-staging", groups: { postgres: validGroup() } };
    web(env).regions = ["iad", "iad"];
    env.apps.api.domains = ["api.example.org"];
    env.apps.worker.groups.worker.image = "acme-worker:latest";
    env.apps.db.groups.postgres.env = { ADMIN_PASSWORD: "hunter2" };
    return env;
  }

  const BROKEN_STAGING = [
    'staging: apps.api.groups.web.regions[1]: region "iad" is listed twice; use "count" for more machines per region',
    'staging: apps.worker.groups.worker.image: image "acme-worker:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
    'staging: apps.api.domains[0]: hostname "api.example.org" is outside the environment\'s DNS zone "example.com"; use "example.com" or a name ending in ".example.com"',
    'staging: apps.db.groups.postgres.env.ADMIN_PASSWORD: "ADMIN_PASSWORD" looks like a credential (its name contains PASSWORD); declare it under apps.db.secrets instead of plain env',
  ];

  test("one ConfigValidationError carries every problem of every app, in rule order", () => {
    const error = validationError([{ name: "staging", value: brokenStaging() }]);
    expect(error.name).toBe("ConfigValidationError");
    expect(error).toBeInstanceOf(Error);
    expect(error.issues.map(formatIssue)).toEqual(BROKEN_STAGING);
  });

  test("the error message has a count line, then one line per problem", () => {
    const error = validationError([{ name: "staging", value: brokenStaging() }]);
    expect(error.message).toBe(["4 problems in the environment configuration:", ...BROKEN_STAGING.map((line) => `  - ${line}`)].join("\n"));
  });

  test("a single problem is counted in the singular", () => {
    const env = validEnvironment();
    web(env).image = "acme-api";
    expect(validationError([{ name: "staging", value: env }]).message).toBe(
      '1 problem in the environment configuration:\n  - staging: apps.api.groups.web.image: image "acme-api" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
    );
  });

  test("collects load issues, schema problems and rule problems of several environments together", () => {
    const loadIssue: ConfigIssue = { environment: "qa", path: "", message: "environments/qa.ts has no default export; export default an EnvironmentConfig" };
    const production = validEnvironment("production");
    loose(production).apps.api.groups.web.guest.cpuKind = "turbo";
    const error = validationError(
      [
        { name: "staging", value: brokenStaging() },
        { name: "production", value: production },
      ],
      [loadIssue],
    );
    expect(error.issues.map((i) => `${i.environment}: ${i.path}`)).toEqual([
      "qa: ",
      "staging: apps.api.groups.web.regions[1]",
      "staging: apps.worker.groups.worker.image",
      "staging: apps.api.domains[0]",
      "staging: apps.db.groups.postgres.env.ADMIN_PASSWORD",
      "production: apps.api.groups.web.guest.cpuKind",
    ]);
    expect(error.message.split("\n")[0]).toBe("6 problems in the environment configuration:");
    expect(error.message.split("\n")[1]).toBe("  - qa: environments/qa.ts has no default export; export default an EnvironmentConfig");
  });

  test("load issues alone are enough to fail", () => {
    const loadIssue: ConfigIssue = { environment: "qa", path: "", message: "environments/qa.ts could not be loaded: boom" };
    expect(validationError([{ name: "staging", value: validEnvironment() }], [loadIssue]).issues).toEqual([loadIssue]);
  });

  test("valid environments are returned as parsed configs, in order", () => {
    const staging = validEnvironment("staging");
    const production = validEnvironment("production");
    expect(
      validateEnvironments([
        { name: "staging", value: staging },
        { name: "production", value: production },
      ]),
    ).toEqual([staging, production]);
  });

  test("no environments at all is not an error", () => {
    expect(validateEnvironments([])).toEqual([]);
  });
});

describe("cross-environment: Fly app names are global", () => {
  function named(environment: string, apps: Record<string, string>): MutableEnvironment {
    const env = validEnvironment(environment);
    env.apps = Object.fromEntries(Object.entries(apps).map(([key, name]) => [key, { name, groups: { web: validGroup() } }]));
    return env;
  }

  test("ownership follows the file name, even when an environment's name is wrong", () => {
    const error = validationError([
      { name: "staging", value: named("staging", { api: "acme-api" }) },
      { name: "staging-eu", value: named("staging", { api: "acme-api" }) },
    ]);
    expect(error.issues.map(formatIssue)).toEqual([
      'staging-eu: name: "staging" must equal the file name "staging-eu"',
      'staging-eu: apps.api.name: Fly app name "acme-api" is already used by staging: apps.api; Fly app names are global',
    ]);
  });

  test("an invalid app key says what keys may look like", () => {
    const env = validEnvironment();
    env.apps = { Bad_Key: env.apps.api };
    expect(formattedIssuesOf(env)).toEqual([
      'staging: apps.Bad_Key: key "Bad_Key" must start with a lowercase letter and hold only lowercase letters, digits and dashes',
    ]);
  });

  test("refuses a second environment reusing an app name, naming the first", () => {
    const error = validationError([
      { name: "staging", value: named("staging", { api: "acme-api" }) },
      { name: "production", value: named("production", { api: "acme-api" }) },
    ]);
    expect(error.issues).toEqual([
      { environment: "production", path: "apps.api.name", message: 'Fly app name "acme-api" is already used by staging: apps.api; Fly app names are global' },
    ]);
    expect(error.issues.map(formatIssue)).toEqual([
      'production: apps.api.name: Fly app name "acme-api" is already used by staging: apps.api; Fly app names are global',
    ]);
  });

  test("reports the clash at the second environment's own app key", () => {
    const error = validationError([
      { name: "staging", value: named("staging", { api: "acme-api", worker: "acme-worker" }) },
      { name: "production", value: named("production", { backend: "acme-worker", api: "acme-api-prod" }) },
    ]);
    expect(error.issues.map(formatIssue)).toEqual([
      'production: apps.backend.name: Fly app name "acme-worker" is already used by staging: apps.worker; Fly app names are global',
    ]);
  });

  test("the environment listed first owns the name", () => {
    const error = validationError([
      { name: "production", value: named("production", { api: "acme-api" }) },
      { name: "staging", value: named("staging", { api: "acme-api" }) },
      { name: "qa", value: named("qa", { api: "acme-api" }) },
    ]);
    expect(error.issues.map(formatIssue)).toEqual([
      'staging: apps.api.name: Fly app name "acme-api" is already used by production: apps.api; Fly app names are global',
      'qa: apps.api.name: Fly app name "acme-api" is already used by production: apps.api; Fly app names are global',
    ]);
  });

  test("a clash inside one environment is reported once, by unique-app-names", () => {
    const error = validationError([{ name: "staging", value: named("staging", { api: "acme-api", api2: "acme-api" }) }]);
    expect(error.issues.map(formatIssue)).toEqual([
      'staging: apps.api2.name: Fly app name "acme-api" is already used by apps.api; Fly app names are global',
    ]);
  });

  test("an environment whose name is a prefix of another's is still a different environment", () => {
    const error = validationError([
      { name: "prod", value: named("prod", { api: "acme-api" }) },
      { name: "prod-eu", value: named("prod-eu", { api: "acme-api" }) },
    ]);
    expect(error.issues.map(formatIssue)).toEqual([
      'prod-eu: apps.api.name: Fly app name "acme-api" is already used by prod: apps.api; Fly app names are global',
    ]);
  });

  test("an environment that fails the schema takes no part in the cross-environment check", () => {
    const production = named("production", { api: "acme-api" });
    loose(production).fly = {};
    const error = validationError([
      { name: "staging", value: named("staging", { api: "acme-api" }) },
      { name: "production", value: production },
    ]);
    expect(error.issues.map((i) => `${i.environment}: ${i.path}`)).toEqual(["production: fly.org"]);
  });

  test("accepts environments with distinct app names", () => {
    const configs = validateEnvironments([
      { name: "staging", value: named("staging", { api: "acme-api-staging" }) },
      { name: "production", value: named("production", { api: "acme-api-prod" }) },
    ]);
    expect(configs.map((c) => c.apps.api!.name)).toEqual(["acme-api-staging", "acme-api-prod"]);
  });
});
