/**
 * Deadlines that hold, in the real CLI process: `flystack audit` and `flystack import app` against a
 * Fly API that accepts the connection and never answers (or sends its headers and never the body),
 * under `node --expose-gc` with a full collection every 100 ms (bin/force-gc.cjs), exit 1 within the
 * total budget plus 2 s, naming the request. SIGINT and SIGTERM end them at once (130/143): nothing
 * but Fly requests is running. Runs on whatever Node runs the tests (CI: 20, 22 and 24).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { projectWithEnvironments } from "../cli/harness";
import { loopEnvironment } from "../fixtures/environments";

const ROOT = path.join(__dirname, "..", "..");
const FLYSTACK = path.join(ROOT, "bin", "flystack");
const FORCE_GC = path.join(__dirname, "bin", "force-gc.cjs");
const APP = "deadline-app";
jest.setTimeout(60_000);

/** A project holding one synthesized stack that declares one Fly app (what `audit --skip-synth` reads). */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-deadline-"));
  const stackDir = path.join(dir, "cdktf.out", "stacks", "deadline");
  fs.mkdirSync(stackDir, { recursive: true });
  fs.writeFileSync(path.join(stackDir, "cdk.tf.json"), JSON.stringify({ resource: { fly_app: { web: { name: APP, org: "acme" } } } }));
  fs.writeFileSync(path.join(dir, "cdktf.out", "manifest.json"), JSON.stringify({ version: "0.21.0", stacks: { deadline: { name: "deadline", workingDirectory: "stacks/deadline", dependencies: [] } } }));
  return dir;
}

type Stall = "silent" | "headers-only";

/** An API on 127.0.0.1 that takes each request and never finishes its answer; records when the first arrived. */
async function stallingApi(stall: Stall): Promise<{ url: string; firstRequestAt: () => number | undefined; requests: string[]; close: () => Promise<void> }> {
  let first: number | undefined;
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    first ??= Date.now();
    requests.push(`${req.method} ${req.url}`);
    if (stall === "headers-only") {
      res.writeHead(200, { "content-type": "application/json" });
      res.write('{"id": "');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    firstRequestAt: () => first,
    requests,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface Ended {
  code: number | null;
  stdout: string;
  stderr: string;
  endedAt: number;
}

/** bin/flystack under --expose-gc with forced collections; `signal` is sent once the API has the first request. */
function run(cwd: string, args: string[], env: Record<string, string>, api: { firstRequestAt: () => number | undefined }, signal?: NodeJS.Signals): Promise<Ended> {
  const child = spawn(process.execPath, ["--expose-gc", "-r", FORCE_GC, FLYSTACK, ...args], {
    cwd,
    env: { ...process.env, FLY_API_TOKEN: "deadline-test-token", FLYSTACK_FLY_API_RETRY_BASE_MS: "100", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
  child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  if (signal) {
    const poll = setInterval(() => {
      const first = api.firstRequestAt();
      // Mid-request, after a few collections.
      if (first !== undefined && Date.now() - first > 400) {
        clearInterval(poll);
        child.kill(signal);
      }
    }, 20);
    child.on("close", () => clearInterval(poll));
  }
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr, endedAt: Date.now() })));
}

const BUDGET = { FLYSTACK_FLY_API_TIMEOUT_MS: "1000", FLYSTACK_FLY_API_TOTAL_MS: "3000" };

describe.each(["silent", "headers-only"] as const)("an API that %s never finishes its answer", (stall) => {
  test("audit exits 1 within the total budget plus 2 s, naming the request and its tries", async () => {
    const dir = project();
    const api = await stallingApi(stall);
    try {
      const ended = await run(dir, ["audit", "--skip-synth", "--json"], { ...BUDGET, FLYSTACK_FLY_API_URL: api.url }, api);
      const took = ended.endedAt - api.firstRequestAt()!;
      expect({ code: ended.code, inBudget: took < 3000 + 2000 }).toEqual({ code: 1, inBudget: true });
      const json = JSON.parse(ended.stdout) as { stacks: { status: string; error?: string }[] };
      expect(json.stacks[0].status).toBe("error");
      expect(json.stacks[0].error).toMatch(new RegExp(`^GET /v1/apps/${APP} timed out after 1s \\(\\d tries in [0-9.]+s`));
      expect(api.requests.length).toBeGreaterThanOrEqual(2);
      expect(ended.stderr).toMatch(new RegExp(`audit: GET /v1/apps/${APP} timed out after 1s; try 2 of 5`));
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.each([
  ["SIGINT", 130],
  ["SIGTERM", 143],
] as const)("%s while a request waits on an API that never answers", (signal, exit) => {
  test("audit ends at once with the signal's exit code, saying no program was running", async () => {
    const dir = project();
    const api = await stallingApi("silent");
    try {
      const ended = await run(dir, ["audit", "--skip-synth"], { FLYSTACK_FLY_API_URL: api.url, FLYSTACK_FLY_API_TIMEOUT_MS: "60000", FLYSTACK_FLY_API_TOTAL_MS: "120000" }, api, signal);
      expect({ code: ended.code, prompt: ended.endedAt - api.firstRequestAt()! < 3000 }).toEqual({ code: exit, prompt: true });
      expect(ended.stderr).toContain(`flystack: ${signal} received: stopping (no program was running`);
      expect(ended.stderr).toContain(`flystack audit: interrupted by ${signal} while no program was running`);
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("import app ends at once with the signal's exit code and writes nothing", async () => {
    const dir = projectWithEnvironments([loopEnvironment("staging")]);
    const before = fs.readFileSync(path.join(dir, "environments", "staging.ts"), "utf8");
    const api = await stallingApi("silent");
    try {
      const ended = await run(dir, ["import", "app", APP, "--env", "staging"], { FLYSTACK_FLY_API_URL: api.url, FLYSTACK_FLY_API_TIMEOUT_MS: "60000", FLYSTACK_FLY_API_TOTAL_MS: "120000" }, api, signal);
      expect({ code: ended.code, prompt: ended.endedAt - api.firstRequestAt()! < 3000 }).toEqual({ code: exit, prompt: true });
      expect(ended.stderr).toContain(`flystack import: interrupted by ${signal} while no program was running`);
      expect(fs.readFileSync(path.join(dir, "environments", "staging.ts"), "utf8")).toBe(before);
    } finally {
      await api.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
