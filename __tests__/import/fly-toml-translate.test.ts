/**
 * translateFlyToml on realistic fly.toml files (__tests__/fixtures/fly-toml, as `fly launch` writes
 * them): the app each becomes, and exactly which keys the report lists.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseFlyToml, FlyTomlSyntaxError } from "../../src/import/fly-toml/parse";
import { duration, FlyTomlImportError, translateFlyToml, type TranslateOptions } from "../../src/import/fly-toml/translate";
import { shellWords } from "../../src/import/fly-toml/shell-words";

const IMAGE = "registry.fly.io/acme-shop:v1.4.2";
const HTTP_PORTS = [
  { port: 80, handlers: ["http"] },
  { port: 443, handlers: ["tls", "http"] },
];

function translate(fixture: string, options: TranslateOptions = {}) {
  const file = path.join(__dirname, "..", "fixtures", "fly-toml", `${fixture}.fly.toml`);
  return translateFlyToml(parseFlyToml(fs.readFileSync(file, "utf8"), file), options);
}
const paths = (t: { report: readonly { path: string }[] }) => t.report.map((n) => n.path);

describe("translateFlyToml", () => {
  test("Rails: web and worker processes, a release command, statics", () => {
    const t = translate("rails", { image: IMAGE });
    expect(t.appKey).toBe("acme-shop");
    const env = { RAILS_LOG_TO_STDOUT: "enabled", RAILS_SERVE_STATIC_FILES: "true", PORT: "3000" };
    expect(t.app).toEqual({
      name: "acme-shop",
      groups: {
        web: {
          image: IMAGE,
          command: ["./bin/rails", "server", "-b", "0.0.0.0"],
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 1024 },
          regions: ["iad"],
          env,
          services: [
            { internalPort: 3000, ports: HTTP_PORTS, autostop: "stop", autostart: true, minMachinesRunning: 0, checks: [{ type: "http", path: "/up", interval: "30s", timeout: "5s" }] },
          ],
          release: { command: ["./bin/rails", "db:prepare"] },
        },
        worker: {
          image: IMAGE,
          command: ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"],
          guest: { cpuKind: "shared", cpus: 1, memoryMb: 1024 },
          regions: ["iad"],
          env,
        },
      },
    });
    expect(paths(t)).toEqual(["http_service.force_https", "http_service.checks[0].grace_period", "console_command", "statics[0]", "(machines)", "(secrets)"]);
  });

  test("Phoenix: [http_service] with min_machines_running, concurrency and suspend", () => {
    const t = translate("phoenix");
    const group = t.app.groups.app;
    expect(Object.keys(t.app.groups)).toEqual(["app"]);
    expect(group.image).toBe("registry.fly.io/acme-live:deployment-01JH2ZK3Q8W5V");
    expect(group.count).toBe(2);
    expect(group.services).toEqual([
      {
        internalPort: 8080,
        ports: HTTP_PORTS,
        autostop: "suspend",
        autostart: true,
        minMachinesRunning: 2,
        concurrency: { type: "connections", softLimit: 1000, hardLimit: 1000 },
        checks: [{ type: "http", path: "/health", interval: "15s", timeout: "2s" }],
      },
    ]);
    expect(paths(t)).toEqual(["http_service.force_https", "http_service.checks[0].grace_period", "kill_signal", "(machines)", "(secrets)"]);
    expect(t.report.find((n) => n.path === "(machines)")!.reason).toContain("app: 2 in ord");
  });

  test("Django with Celery: per-process VMs, restart, canary, a credential in [env]", () => {
    const t = translate("django-celery", { groupImages: { app: IMAGE, celery: `${IMAGE.replace(":v1.4.2", "")}@sha256:${"a".repeat(64)}` } });
    expect(t.app.secrets).toEqual({ DJANGO_SECRET_KEY: { version: "1" } });
    const { app, celery } = t.app.groups;
    expect(app.env).toEqual({ PORT: "8000", DJANGO_SETTINGS_MODULE: "acme.settings.production" });
    expect(app.guest).toEqual({ cpuKind: "shared", cpus: 1, memoryMb: 512 });
    expect(app.release).toEqual({ command: ["python", "manage.py", "migrate", "--noinput"] });
    expect(app.deploy).toEqual({ strategy: "rolling" });
    expect(app.services?.[0].minMachinesRunning).toBe(1);
    expect(celery).toEqual({
      image: `registry.fly.io/acme-shop@sha256:${"a".repeat(64)}`,
      command: ["celery", "-A", "acme", "worker", "--loglevel=info"],
      guest: { cpuKind: "shared", cpus: 2, memoryMb: 512 },
      regions: ["ams"],
      env: { PORT: "8000", DJANGO_SETTINGS_MODULE: "acme.settings.production" },
      restart: { policy: "on-failure", maxRetries: 5 },
      deploy: { strategy: "rolling" },
    });
    expect(paths(t)).toEqual(["env.DJANGO_SECRET_KEY", "http_service.force_https", "deploy.strategy", "swap_size_mb", "build.dockerfile", "build.args", "(machines)", "(secrets)"]);
  });

  test("Node with legacy [[services]], tcp checks and millisecond durations", () => {
    const t = translate("node-services");
    expect(t.app.groups.app.services).toEqual([
      {
        internalPort: 8080,
        ports: HTTP_PORTS,
        concurrency: { type: "connections", softLimit: 20, hardLimit: 25 },
        checks: [
          { type: "tcp", interval: "15s", timeout: "2s" },
          { type: "http", path: "/healthz", interval: "10s", timeout: "2s" },
        ],
      },
      { internalPort: 9000, ports: [{ port: 9000 }], checks: [{ type: "tcp", interval: "30s", timeout: "5s" }] },
    ]);
    expect(paths(t)).toEqual([
      "services[0].ports[0].force_https",
      "services[0].tcp_checks[0].grace_period",
      "services[0].http_checks[0].grace_period",
      "kill_signal",
      "kill_timeout",
      "experimental.auto_rollback",
      "(machines)",
      "(secrets)",
    ]);
  });

  test("Postgres: [mounts], machine checks, metrics; no services, so no public addresses", () => {
    const t = translate("postgres-mounts");
    const group = t.app.groups.app;
    expect(t.app.ips).toEqual({ sharedIpv4: false, ipv6: false });
    expect(group.volume).toEqual({ name: "pg_data", path: "/data", sizeGb: 10, snapshotRetentionDays: 14 });
    expect(group.guest).toEqual({ cpuKind: "shared", cpus: 1, memoryMb: 1024 });
    expect(group.checks).toEqual([
      { type: "http", port: 5500, path: "/flycheck/pg", interval: "15s", timeout: "10s" },
      { type: "http", port: 5500, path: "/flycheck/vm", interval: "1m", timeout: "10s" },
    ]);
    expect(group.command).toBeUndefined();
    // [metrics] becomes the group's metrics (Fly's default path left out).
    expect(group.metrics).toEqual({ port: 9187 });
    expect(paths(t)).toEqual(["mounts[0].auto_extend_size_threshold", "mounts[0].auto_extend_size_increment", "mounts[0].auto_extend_size_limit", "(machines)", "(secrets)"]);
  });

  test("[[vm]] presets: per process, a default, and memory rounded up to a size Fly accepts", () => {
    const t = translate("vm-presets");
    const guests = Object.fromEntries(Object.entries(t.app.groups).map(([k, g]) => [k, g.guest]));
    expect(guests).toEqual({
      api: { cpuKind: "shared", cpus: 2, memoryMb: 1024 },
      render: { cpuKind: "performance", cpus: 2, memoryMb: 4096 },
      cron: { cpuKind: "shared", cpus: 1, memoryMb: 256 },
    });
    expect(t.app.groups.cron.restart).toEqual({ policy: "no" });
    expect(t.app.groups.api.services?.[0].autostop).toBe("off");
    expect(paths(t)).toEqual(["http_service.force_https", "vm[1].memory", "(machines)", "(secrets)"]);
    expect(t.report[1].reason).toBe("1000 MB is not a size Fly accepts for shared-cpu-2x; rounded up to 1024 MB");
  });

  test("--app-key names the entry", () => {
    expect(translate("phoenix", { appKey: "live" }).appKey).toBe("live");
  });

  describe("refuses, listing what to supply", () => {
    const problems = (fixture: string, options: TranslateOptions = {}, text?: string) => {
      try {
        if (text !== undefined) translateFlyToml(parseFlyToml(text, "fly.toml"), options);
        else translate(fixture, options);
      } catch (error) {
        if (error instanceof FlyTomlImportError) return error.problems.map((p) => `${p.path}: ${p.reason}`);
        throw error;
      }
      throw new Error("expected a FlyTomlImportError");
    };

    test("a fly.toml that builds its image, without --image", () => {
      expect(problems("rails")).toEqual([
        'build.image: fly.toml builds the image of process group "web" (fly deploy builds and pushes it); flystack deploys an image that is already pushed',
        'build.image: fly.toml builds the image of process group "worker" (fly deploy builds and pushes it); flystack deploys an image that is already pushed',
      ]);
    });

    test("an unpinned --image, and --image for a group that does not exist", () => {
      expect(problems("rails", { image: "acme/shop:latest", groupImages: { sidekiq: IMAGE } })).toEqual([
        '--image sidekiq=…: names process group "sidekiq", which this fly.toml does not define',
        '--image: image "acme/shop:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
        '--image: image "acme/shop:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
      ]);
    });

    test("GPUs, a command beside a volume, an unknown region", () => {
      const text = `app = "gpu-app"\nprimary_region = "xyz"\n[build]\nimage = "a/b:1"\n[processes]\nweb = "run"\n[mounts]\nsource = "data"\ndestination = "/data"\n[[vm]]\nsize = "a100-40gb"\n`;
      expect(problems("", {}, text)).toEqual([
        'primary_region: "xyz" is not a Fly region flystack knows',
        "vm[0].size: flystack's guests have no GPUs",
        "processes.web: a group with a volume cannot set command in flystack (the provider's containers take no mounts)",
      ]);
    });
  });

  test("TOML syntax errors carry the file, line and column", () => {
    expect(() => parseFlyToml('app = "x"\n[env\nA = 1\n', "bad.toml")).toThrow(FlyTomlSyntaxError);
    try {
      parseFlyToml('app = "x"\n[env\nA = 1\n', "bad.toml");
    } catch (error) {
      expect((error as Error).message).toMatch(/^bad\.toml:2:\d+: /);
    }
  });

  test("unknown keys are reported, not dropped", () => {
    const t = translateFlyToml(parseFlyToml('app = "a-b"\nprimary_region = "iad"\nfoo = 1\n[build]\nimage = "a/b:1"\n[http_service]\ninternal_port = 80\nforse_https = true\n', "f"));
    expect(paths(t)).toEqual(["foo", "http_service.forse_https", "(machines)", "(secrets)"]);
  });

  test("[[metrics]] per process: each group its own endpoint; a bad port is a problem", () => {
    const base = 'app = "a-b"\nprimary_region = "iad"\n[build]\nimage = "a/b:1"\n[processes]\nweb = "serve"\nworker = "work"\n';
    const t = translateFlyToml(parseFlyToml(`${base}[[metrics]]\nport = 9394\npath = "/metrics"\nprocesses = ["web"]\n[[metrics]]\nport = 9113\npath = "/stats"\nprocesses = ["worker"]\n`, "f"));
    expect(t.app.groups.web.metrics).toEqual({ port: 9394 });
    expect(t.app.groups.worker.metrics).toEqual({ port: 9113, path: "/stats" });
    expect(() => translateFlyToml(parseFlyToml(`${base}[metrics]\nport = 0\n`, "f"))).toThrow(FlyTomlImportError);
  });

  test("durations and command lines", () => {
    expect([duration("10s"), duration("1m0s"), duration(10000), duration(1500), duration("2m30s"), duration("soon")]).toEqual(["10s", "1m", "10s", "1500ms", "150s", undefined]);
    expect(shellWords(`sh -c 'echo "hi there"' a\\ b`)).toEqual(["sh", "-c", 'echo "hi there"', "a b"]);
    expect(shellWords("unclosed 'quote")).toBeUndefined();
  });
});
