/**
 * promtool (and amtool) for the alert tests: found at $FLYSTACK_PROMTOOL, in the flystack cache where
 * scripts/install-promtool.sh puts it, or on PATH. With FLYSTACK_REQUIRE_PROMTOOL=1 (.ci/run, after
 * installing it) a missing promtool fails the tests instead of skipping them; likewise amtool with
 * FLYSTACK_REQUIRE_AMTOOL=1.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { stringify } from "yaml";

const INSTALL_HINT = "run `bash scripts/install-promtool.sh --with-amtool --with-prometheus` (Debian's prometheus package into ~/.cache/flystack/bin) and set FLYSTACK_PROMTOOL / FLYSTACK_AMTOOL / FLYSTACK_PROMETHEUS, or put them on PATH";

function cacheBin(tool: string): string {
  return path.join(process.env.FLYSTACK_CACHE_DIR ?? path.join(os.homedir(), ".cache", "flystack"), "bin", tool);
}

function runs(binary: string): boolean {
  return spawnSync(binary, ["--version"], { encoding: "utf8" }).status === 0;
}

/** The first candidate that runs: the explicit variable (which must work when set), the cache, then PATH. */
function find(tool: "promtool" | "amtool" | "prometheus", variable: string, requireVariable: string): string | undefined {
  const explicit = process.env[variable];
  const candidates = explicit ? [explicit] : [cacheBin(tool), tool];
  const found = candidates.find(runs);
  if (found) return found;
  const why = explicit ? `${variable}=${explicit} does not run` : `no ${tool} at ${cacheBin(tool)} or on PATH`;
  if (process.env[requireVariable] === "1") throw new Error(`${requireVariable}=1 but ${why}: ${INSTALL_HINT}`);
  console.warn(`SKIPPED: the ${tool} tests of the generated alerting config need ${tool} (${why}): ${INSTALL_HINT}; set ${requireVariable}=1 to fail instead`);
  return undefined;
}

export function findPromtool(): string | undefined {
  return find("promtool", "FLYSTACK_PROMTOOL", "FLYSTACK_REQUIRE_PROMTOOL");
}

/** The Prometheus server (Debian's package, `install-promtool.sh --with-prometheus`), for tests against a real one. */
export function findPrometheus(): string | undefined {
  return find("prometheus", "FLYSTACK_PROMETHEUS", "FLYSTACK_REQUIRE_PROMETHEUS");
}

export function findAmtool(): string | undefined {
  return find("amtool", "FLYSTACK_AMTOOL", "FLYSTACK_REQUIRE_AMTOOL");
}

export function toolVersion(binary: string): string {
  return spawnSync(binary, ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "";
}

export interface ToolResult {
  readonly status: number | null;
  /** stdout and stderr, for failure messages. */
  readonly output: string;
}

export function runTool(binary: string, args: readonly string[], cwd: string): ToolResult {
  const result = spawnSync(binary, args, { cwd, encoding: "utf8", timeout: 30_000 });
  const output = [`$ ${path.basename(binary)} ${args.join(" ")}   (exit ${result.status ?? result.signal})`, result.stdout, result.stderr, result.error?.message ?? ""].join("\n");
  return { status: result.status, output };
}

/** Passes when the tool exited 0; otherwise fails with everything it printed. */
export function expectSuccess(result: ToolResult): void {
  if (result.status !== 0) throw new Error(`expected exit 0:\n${result.output}`);
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `flystack-${prefix}-`));
}

export function writeYaml(dir: string, name: string, value: unknown): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, stringify(value, { lineWidth: 0 }));
  return file;
}

/** A series selector as promtool's input_series takes it: `name{label="value",...}`. */
export function series(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}{${Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",")}}`;
}

/** A counter's samples, one per step: it starts at 0 and grows by each step's increment; `_` where it is absent. */
export function counterValues(increments: readonly (number | null)[]): string {
  let value = 0;
  const samples = ["0"];
  for (const increment of increments) {
    if (increment === null) {
      samples.push("_");
      continue;
    }
    value += increment;
    samples.push(String(value));
  }
  return samples.join(" ");
}

/** Minutes in a Prometheus duration such as `5m`, `6h`, `3d` (one unit only, as flystack writes them). */
export function durationMinutes(duration: string): number {
  const match = /^(\d+)([mhd])$/.exec(duration);
  if (!match) throw new Error(`unexpected duration ${duration}`);
  return Number(match[1]) * { m: 1, h: 60, d: 1440 }[match[2] as "m" | "h" | "d"];
}

/** `{{ $labels.x }}` and `{{ $value }}` as Prometheus renders them for one alert. */
export function renderTemplate(template: string, labels: Readonly<Record<string, string>>, value: string): string {
  return template.replace(/\{\{ \$value \}\}/g, value).replace(/\{\{ \$labels\.(\w+) \}\}/g, (_, label: string) => labels[label] ?? "<no value>");
}
