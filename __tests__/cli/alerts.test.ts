/**
 * `flystack alerts`: the rules and routes each environment's monitoring app would run, read back
 * from the synthesized machines (so exactly what a plan deploys), as one YAML stream.
 */
import * as fs from "node:fs";
import { parseAllDocuments } from "yaml";
import { flystack, projectWithEnvironments } from "./harness";
import { monitoringFiles } from "../../src/features/alerts";
import type { EnvironmentConfig } from "../../src/config/types";
import { validEnvironment, validService } from "../config/fixtures";

const watched = validEnvironment("watched");
watched.apps.api.groups.web.services = [{ ...validService(), slo: { availability: 99.5 } }];
watched.monitoring = { name: "acme-monitoring-watched", region: "iad", prometheusTokenVersion: "1", receivers: { page: { kind: "webhook", version: "1" } } };
const quiet = validEnvironment("quiet");

let project: string;
beforeAll(() => {
  project = projectWithEnvironments([watched, quiet]);
});
afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

describe("flystack alerts", () => {
  test("prints every environment's files as a YAML stream, and says when one deploys none", async () => {
    const run = await flystack(project, ["alerts"]);
    expect(run.code).toBe(0);
    const documents = parseAllDocuments(run.stdout);
    expect(documents.every((d) => d.errors.length === 0)).toBe(true);
    const expected = monitoringFiles(watched as EnvironmentConfig)!;
    // quiet: a comment only; watched: the rule file, then Alertmanager's configuration.
    expect(run.stdout).toContain('# quiet: no monitoring app ("monitoring" is not set in environments/quiet.ts): no alert is evaluated or sent.\n');
    expect(run.stdout).toContain(`# watched: monitoring app acme-monitoring-watched, ${expected.rules.match(/- alert: /g)!.length} alerting rules\n`);
    expect(run.stdout).toContain(expected.rules.trimEnd());
    expect(run.stdout).toContain(expected.alertmanager.trimEnd());
    expect(run.stderr).toContain("synthesizing every environment");
  });

  test("ENV selects environments; a name that matches none is an error naming the known ones", async () => {
    const one = await flystack(project, ["alerts", "quiet"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toBe('# quiet: no monitoring app ("monitoring" is not set in environments/quiet.ts): no alert is evaluated or sent.\n');
    const none = await flystack(project, ["alerts", "nosuch"]);
    expect(none.code).toBe(1);
    expect(none.stdout).toBe("");
    expect(none.stderr).toMatch(/nosuch/);
    expect(none.stderr).not.toMatch(/\n\s+at /);
  });

  test("--help says what it prints", async () => {
    const run = await flystack(project, ["alerts", "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Usage: flystack alerts [ENV…] [--json]");
  });
});
