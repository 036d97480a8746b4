/**
 * What the benchmarks measure a program run by: its wall time and the peak resident memory of its
 * whole process tree (flystack, and the terraform and provider processes it starts), sampled from
 * /proc every 100 ms.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

export interface Sample {
  readonly code: number;
  readonly ms: number;
  readonly peakRssMb: number;
  readonly stdout: string;
  readonly stderr: string;
}

const root = path.join(__dirname, "..");

/** Sum of VmRSS over `pid` and its descendants, in MB. */
export function treeRssMb(pid: number): number {
  const parents = new Map<number, number>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // gone meanwhile
    }
  }
  const tree = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [child, parent] of parents) if (tree.has(parent) && !tree.has(child)) (tree.add(child), (grew = true));
  }
  let kb = 0;
  for (const p of tree) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${p}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb / 1024;
}

/** `program args…` in `cwd`, with `env` over this process's environment (undefined unsets): its wall time, peak tree RSS and output. */
export function sample(program: string, args: readonly string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<Sample> {
  return new Promise((resolve) => {
    const started = performance.now();
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...process.env, ...env })) if (v !== undefined) clean[k] = v;
    const child = spawn(program, args, { cwd, env: clean, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, treeRssMb(child.pid!))), 100);
    child.on("close", (code) => {
      clearInterval(timer);
      resolve({ code: code ?? 1, ms: performance.now() - started, peakRssMb: peak, stdout, stderr });
    });
  });
}

/** `node <this project>/bin/flystack.js args…` in `cwd`, measured. */
export function flystackSample(cwd: string, args: readonly string[], env: Record<string, string | undefined> = {}, bin = path.join(root, "bin", "flystack.js")): Promise<Sample> {
  return sample(process.execPath, [bin, ...args], cwd, env);
}

export function git(cwd: string, ...args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=flystack bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false", ...args], { cwd, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
  return result.stdout.trim();
}

/** Throws with the end of its stderr unless the run exited 0. */
export function must(what: string, s: Sample): Sample {
  if (s.code !== 0) throw new Error(`${what} failed (exit ${s.code}):\n${s.stderr.slice(-3000)}`);
  return s;
}
