/**
 * translateFlyToml's rules, one at a time, on small fly.toml texts of our own (the whole-file shapes
 * are in fly-toml-fixtures.test.ts): how flyctl reads what fly.toml leaves open, and every refusal.
 */
import { FlyTomlSyntaxError, parseFlyToml } from "../../src/features/import/fly-toml/parse";
import { FlyTomlImportError, type TranslateOptions, translateFlyToml } from "../../src/features/import/fly-toml/translate";
import { shellWords } from "../../src/features/import/fly-toml/shell-words";

const IMAGE = "registry.fly.io/acme-shop:v1.4.2";
const HEAD = `app = "acme-x"\nprimary_region = "iad"\n[build]\nimage = "${IMAGE}"\n`;
const translate = (text: string, options: TranslateOptions = {}) => translateFlyToml(parseFlyToml(text, "fly.toml"), options);
const paths = (t: { report: readonly { path: string }[] }) => t.report.map((n) => n.path).filter((p) => !p.startsWith("("));
const reasonOf = (t: { report: readonly { path: string; reason: string }[] }, path: string) => t.report.find((n) => n.path === path)?.reason;

function problems(text: string, options: TranslateOptions = {}): string[] {
  try {
    translate(text, options);
  } catch (error) {
    if (error instanceof FlyTomlImportError) return error.problems.map((p) => `${p.path}: ${p.reason}`);
    throw error;
  }
  throw new Error("expected a FlyTomlImportError");
}

describe("what only the user can supply: one refusal listing all of it", () => {
  test("no app, no primary_region, a built image for two groups: --name, --region, --image, each once", () => {
    expect(problems('[processes]\nweb = "serve"\nworker = "work"\n')).toEqual([
      "app: is missing: the fly.toml does not name its Fly app",
      "primary_region: is missing: flystack places machines by region (older fly.toml files have none)",
      "build.image: fly.toml builds the images of process groups web, worker (fly deploy builds and pushes them); flystack deploys an image that is already pushed",
    ]);
  });

  test("--name and --region supply them (and win over the file's)", () => {
    const t = translate(`[build]\nimage = "${IMAGE}"\n`, { name: "acme-old", region: "ams" });
    expect({ name: t.app.name, regions: t.app.groups.app.regions, env: t.app.groups.app.env }).toEqual({ name: "acme-old", regions: ["ams"], env: { PRIMARY_REGION: "ams" } });
    const over = translate(HEAD, { region: "lhr" });
    expect(over.app.groups.app.regions).toEqual(["lhr"]);
    expect(reasonOf(over, "primary_region")).toBe("replaced by --region lhr");
  });

  test("an app name starting with a digit gets a key it can have; an unknown region, an unpinned image and an --image for no group are refused", () => {
    expect(translate(HEAD.replace("acme-x", "2048-game")).appKey).toBe("app-2048-game");
    expect(problems(HEAD.replace('"iad"', '"xyz"'), { image: "acme/shop:latest", groupImages: { sidekiq: IMAGE } })).toEqual([
      'primary_region: "xyz" is not a Fly region flystack knows',
      '--image sidekiq=…: names process group "sidekiq", which this fly.toml does not define',
      '--image: image "acme/shop:latest" is not pinned; use a digest (@sha256:…) or a tag other than "latest"',
    ]);
  });

  test("what flystack cannot run: a GPU", () => {
    expect(problems(`${HEAD}[[vm]]\nsize = "a100-40gb"\n`)).toEqual(["vm[0].size: flystack's guests have no GPUs (provider ampbase-io/fly 0.2 cannot ask for one)"]);
    expect(problems(`${HEAD}[[vm]]\ngpu_kind = "l40s"\n`)).toEqual(["vm[0].gpu_kind: flystack's guests have no GPUs (provider ampbase-io/fly 0.2 cannot ask for one)"]);
  });
});

describe("process groups as Fly names them", () => {
  test("underscores and leading digits are kept as written (Fly's internal DNS names the group so); flyctl's own group names are refused", () => {
    const t = translate(`${HEAD}[processes]\nweb_service = "serve"\n40gb = "big"\n`);
    expect(Object.keys(t.app.groups)).toEqual(["web_service", "40gb"]);
    expect(problems(`${HEAD}[processes]\nfly_app_release_command = "x"\n`)).toEqual(['processes.fly_app_release_command: "fly_app_release_command" is a process group flyctl keeps for its own machines (fly_app_release_command, fly_app_console)']);
  });

  test('an empty command ("") runs the image\'s own CMD; [experimental] cmd fills in, one argument per string', () => {
    const t = translate(`${HEAD}[processes]\nweb = ""\nworker = "bin/work --fast"\n[experimental]\ncmd = "start.sh --x"\n`);
    expect(t.app.groups.web.command).toEqual(["start.sh --x"]);
    expect(t.app.groups.worker.command).toEqual(["bin/work", "--fast"]);
    expect(translate(`${HEAD}[processes]\nweb = ""\n`).app.groups.web.command).toBeUndefined();
  });

  test("a section without processes belongs to the default group (app, else the first name); a [[vm]] without processes sizes every group", () => {
    const text = `${HEAD}[processes]\nzeta = "z"\nalpha = "a"\n[[restart]]\npolicy = "always"\n[[metrics]]\nport = 9000\n[[vm]]\nmemory = "1gb"\n`;
    const t = translate(text);
    expect(Object.fromEntries(Object.entries(t.app.groups).map(([g, c]) => [g, { restart: c.restart, metrics: c.metrics, memory: c.guest.memoryMb }]))).toEqual({
      zeta: { restart: undefined, metrics: undefined, memory: 1024 },
      alpha: { restart: { policy: "always" }, metrics: { port: 9000 }, memory: 1024 },
    });
  });

  test("a service without processes while several groups exist goes to the default group, said so; one naming no defined group is left out, said so", () => {
    const t = translate(`${HEAD}[processes]\napp = "a"\nworker = "w"\n[http_service]\ninternal_port = 8080\n`);
    expect(t.app.groups.app.services).toHaveLength(1);
    expect(t.app.groups.worker.services).toBeUndefined();
    expect(reasonOf(t, "http_service")).toMatch(/^has no processes while \[processes\] defines 2 groups \(flyctl refuses this\); written for the default group app$/);
    const lost = translate(`${HEAD}[processes]\nweb = "w"\n[http_service]\ninternal_port = 8080\nprocesses = ["app"]\n`);
    expect(lost.app.groups.web.services).toBeUndefined();
    expect(paths(lost)).toEqual(["http_service.processes", "http_service"]);
  });
});

describe("values in every form flyctl reads", () => {
  test("ports as numbers or numeric strings; a string where flyctl cannot read one is taken and said", () => {
    const t = translate(`${HEAD}[[services]]\ninternal_port = "8080"\n[[services.ports]]\nport = "80"\nhandlers = ["http"]\n[http_service]\ninternal_port = "3000"\n`);
    expect(t.app.groups.app.services?.map((s) => [s.internalPort, s.ports[0].port])).toEqual([
      [3000, 80],
      [8080, 80],
    ]);
    expect(paths(t)).toEqual(["http_service.internal_port"]);
  });

  test("a bare number as a duration: milliseconds in service checks and [checks], nanoseconds in [[http_service.checks]]", () => {
    const text = `${HEAD}[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = "/h"\ninterval = 15000000000\n[[services]]\ninternal_port = 9000\n[[services.ports]]\nport = 9000\n[[services.tcp_checks]]\ninterval = 15000\n[checks.alive]\ntype = "tcp"\nport = 9000\ninterval = 15000\ngrace_period = "1m0s"\n`;
    const group = translate(text).app.groups.app;
    expect([group.services?.[0].checks?.[0].interval, group.services?.[1].checks?.[0].interval, group.checks?.[0]]).toEqual(["15s", "15s", { type: "tcp", port: 9000, interval: "15s", gracePeriod: "1m", name: "alive" }]);
  });

  test("a machine check without a port takes the [http_service] internal port, as flyctl does; a script check (Apps V1) is left out, said so", () => {
    const t = translate(`${HEAD}[http_service]\ninternal_port = 8080\n[checks.up]\ntype = "http"\npath = "/up"\n[checks.old]\ntype = "script"\ncommand = "check.sh"\n`);
    expect(t.app.groups.app.checks).toEqual([{ type: "http", port: 8080, path: "/up", name: "up" }]);
    expect(paths(t)).toEqual(["checks.old"]);
  });

  test("a check method other than GET is carried; concurrency as \"soft,hard\"; memory_mb wins over memory", () => {
    const t = translate(`${HEAD}[[services]]\ninternal_port = 80\nconcurrency = "10,20"\n[[services.ports]]\nport = 80\n[[services.http_checks]]\npath = "/h"\nmethod = "head"\n[[vm]]\nmemory = "2gb"\nmemory_mb = 512\n`);
    const group = t.app.groups.app;
    expect([group.services?.[0].concurrency, group.services?.[0].checks, group.guest.memoryMb]).toEqual([{ type: "requests", softLimit: 10, hardLimit: 20 }, [{ type: "http", path: "/h", method: "HEAD" }], 512]);
    expect(reasonOf(t, "vm[0].memory")).toBe('memory_mb (512) is set too, and flyctl takes memory_mb');
  });

  test("[env]: numbers and booleans as flyctl's strings, [[env]] tables merged, PRIMARY_REGION set as flyctl sets it", () => {
    const t = translate(`app = "acme-x"\nprimary_region = "ord"\n[build]\nimage = "${IMAGE}"\n[[env]]\nA = 1\n[[env]]\nB = true\nPRIMARY_REGION = "elsewhere"\n`);
    expect(t.app.groups.app.env).toEqual({ A: "1", B: "true", PRIMARY_REGION: "ord" });
  });

  test("restart never is Fly's no; flyctl's refused spelling \"no\" is read the same and said", () => {
    const t = translate(`${HEAD}[[restart]]\npolicy = "no"\n`);
    expect(t.app.groups.app.restart).toEqual({ policy: "no" });
    expect(reasonOf(t, "restart[0].policy")).toMatch(/flyctl refuses "no"/);
  });
});

describe("[[files]]: text, a local file, a secret", () => {
  const text = `${HEAD}[[files]]\nguest_path = "/etc/motd"\nraw_value = "hello"\n[[files]]\nguest_path = "/etc/app.conf"\nlocal_path = "app.conf"\n[[files]]\nguest_path = "/etc/key"\nsecret_name = "KEY_B64"\n[[files]]\nguest_path = "/etc/gone"\nraw_value = ""\n`;

  test("raw_value is the text (base64-encoded as flyctl sends it), local_path read now, secret_name declared on the app; an empty source is said", () => {
    const t = translate(text, { readLocal: (p) => Buffer.from(`contents of ${p}`) });
    expect(t.app.groups.app.files).toEqual([
      { guestPath: "/etc/motd", rawValue: Buffer.from("hello").toString("base64") },
      { guestPath: "/etc/app.conf", rawValue: Buffer.from("contents of app.conf").toString("base64") },
      { guestPath: "/etc/key", secretName: "KEY_B64" },
    ]);
    expect(t.app.secrets).toEqual({ KEY_B64: { version: "1" } });
    expect(paths(t)).toEqual(["files[3]"]);
  });

  test("a local file that cannot be read is a problem naming it", () => {
    expect(problems(text, { readLocal: () => { throw Object.assign(new Error("x"), { code: "ENOENT" }); } })).toEqual(['files[1].local_path: "app.conf" cannot be read: no such file']);
  });
});

describe("the report", () => {
  test("unknown keys (typos, keys flyctl drops) are reported, never dropped", () => {
    const t = translate(`foo = 1\n${HEAD}[http_service]\ninternal_port = 80\nforse_https = true\nidle_timeout = 30\n[consul]\nenable = true\n`);
    expect(paths(t)).toEqual(["foo", "http_service.forse_https", "http_service.idle_timeout", "consul.enable"]);
    expect(reasonOf(t, "foo")).toBe("is not a key of fly.toml's documented reference (flyctl ignores it too)");
  });

  test("a group with a volume keeps the volume and runs the image's CMD, said where the command came from", () => {
    const t = translate(`${HEAD}[processes]\napp = "bin/server"\n[mounts]\nsource = "data"\ndestination = "/data"\ninitial_size = 1\n`);
    expect(t.app.groups.app.command).toBeUndefined();
    expect(t.app.groups.app.volume).toEqual({ name: "data", path: "/data", sizeGb: 1 });
    expect(reasonOf(t, "processes.app")).toMatch(/^group "app" mounts a volume, and provider ampbase-io\/fly 0\.2 runs a command only in a container, which takes no mounts/);
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

test("command lines split as flyctl splits them", () => {
  expect(shellWords(`sh -c 'echo "hi there"' a\\ b`)).toEqual(["sh", "-c", 'echo "hi there"', "a b"]);
  expect(shellWords("unclosed 'quote")).toBeUndefined();
});
