import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { flystack, projectWithEnvironments, writeEnvironmentFile } from "../cli/harness";
import { dashboardEnvironment } from "./fixture";

jest.setTimeout(240_000);

describe("flystack dashboards", () => {
  const env = dashboardEnvironment("cli");
  const project = projectWithEnvironments([env]);
  afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

  test("writes one dashboard per app and an overview per environment, and lists them", async () => {
    const run = await flystack(project, ["dashboards", "--out", "out", "--json"]);
    expect(run.code).toBe(0);
    const { dashboards } = JSON.parse(run.stdout) as { dashboards: { environment: string; name: string; file: string; panels: string[]; queries: number }[] };
    expect(dashboards.map((d) => d.name)).toEqual(["web", "db", "api", "monitoring", "overview"]);
    for (const d of dashboards) expect(JSON.parse(fs.readFileSync(path.join(project, d.file), "utf8"))).toMatchObject({ schemaVersion: 39 });
    expect(dashboards[0].panels).toEqual([
      "Latency",
      "Traffic by status",
      "Errors",
      "CPU",
      "Memory",
      "Load (1 min)",
      "Concurrency",
      "The app's own metrics",
      "availability 99%: error budget left (30 days)",
      "availability 99%: burn rate",
      "latency: 99% under 500 ms: error budget left (30 days)",
      "latency: 99% under 500 ms: burn rate",
    ]);
    const none = await flystack(project, ["dashboards", "no-such-env"]);
    expect({ code: none.code, err: none.stderr }).toEqual({ code: 1, err: expect.stringContaining("no environment matches no-such-env; environments: cli") });
  });

  test("--changed-since names the dashboards and panels a change touches", async () => {
    const git = (...args: string[]) => {
      const r = spawnSync("git", args, { cwd: project, encoding: "utf8", env: { ...process.env, GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" } });
      if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
    };
    git("init", "-q");
    git("add", "-A");
    git("commit", "-q", "-m", "base");
    const same = await flystack(project, ["dashboards", "--changed-since", "HEAD"]);
    expect({ code: same.code, out: same.stdout }).toEqual({ code: 0, out: "## Dashboards\n\nNo dashboard changes since HEAD.\n" });
    const changed = dashboardEnvironment("cli");
    changed.apps.web.groups.jobs.guest = { cpuKind: "shared", cpus: 2, memoryMb: 2048 };
    writeEnvironmentFile(project, changed);
    const run = await flystack(project, ["dashboards", "--changed-since", "HEAD"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("## Dashboards\n\n1 dashboard changes since HEAD:\n\n- `cli/web`: changed (panels changed: Memory)\n");
  });
});
