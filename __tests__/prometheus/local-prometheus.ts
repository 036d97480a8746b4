/**
 * A real Prometheus server (Debian's package, scripts/install-promtool.sh --with-prometheus) on
 * 127.0.0.1 over series written by the test: the OpenMetrics text is turned into TSDB blocks with
 * `promtool tsdb create-blocks-from openmetrics`, which the server loads at start-up. Timestamps are
 * seconds, each series in time order, ending with `# EOF` (what promtool requires).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";

export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** [seconds since the epoch, value], in time order. */
  readonly samples: readonly (readonly [number, number])[];
}

export interface Family {
  readonly name: string;
  readonly type: "counter" | "gauge" | "histogram";
  readonly series: readonly Series[];
}

const labelText = (labels: Readonly<Record<string, string>>) =>
  Object.entries(labels)
    .map(([k, v]) => `${k}="${v.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`)
    .join(",");

export function openMetrics(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const family of families) {
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const series of family.series) for (const [t, v] of series.samples) lines.push(`${series.name}{${labelText(series.labels)}} ${v} ${t}`);
  }
  return `${lines.join("\n")}\n# EOF\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class LocalPrometheus {
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly log: () => string,
  ) {}

  static async start(prometheus: string, promtool: string, families: readonly Family[]): Promise<LocalPrometheus> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-prometheus-"));
    const input = path.join(dir, "series.om");
    const data = path.join(dir, "data");
    fs.writeFileSync(input, openMetrics(families));
    const blocks = spawnSync(promtool, ["tsdb", "create-blocks-from", "openmetrics", "--quiet", input, data], { encoding: "utf8", timeout: 300_000, maxBuffer: 64 * 1024 * 1024 });
    if (blocks.status !== 0) throw new Error(`promtool tsdb create-blocks-from openmetrics failed (${blocks.status ?? blocks.signal ?? blocks.error?.message}): ${blocks.stdout.slice(-2000)}${blocks.stderr.slice(-2000)}`);
    const config = path.join(dir, "prometheus.yml");
    fs.writeFileSync(config, "");
    const port = await freePort();
    let output = "";
    const child = spawn(prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${data}`, `--web.listen-address=127.0.0.1:${port}`, "--storage.tsdb.retention.time=10y"], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const url = `http://127.0.0.1:${port}`;
    const started = Date.now();
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}:\n${output.slice(-2000)}`);
      try {
        const ready = await fetch(`${url}/-/ready`);
        if (ready.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() - started > 60_000) {
        child.kill("SIGKILL");
        throw new Error(`prometheus did not become ready within 60 s:\n${output.slice(-2000)}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    return new LocalPrometheus(url, child, dir, () => output);
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (this.child.exitCode === null) this.child.kill("SIGKILL");
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
