/**
 * Whatever environments/ holds (a team's own, not the examples'): each environment's rule file
 * passes `promtool check rules`, and each monitoring app's Alertmanager configuration passes
 * `amtool check-config`. promtool.test.ts proves the rules' behaviour on test-owned environments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { alertRules, monitoringFiles, toYaml } from "../../src/features/alerts";
import { environmentsIn } from "../fly-in-the-loop/synthesize";
import { expectSuccess, findAmtool, findPromtool, runTool, tempDir } from "./promtool-harness";

const promtool = findPromtool();
const amtool = promtool ? findAmtool() : undefined;
const environments = environmentsIn();

(promtool ? describe : describe.skip)("the alerting of every environment in environments/", () => {
  const dir = promtool ? tempDir("promtool-envs") : "";
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test.each(environments.map((e) => [e.name, e] as const))("%s: promtool check rules passes on its rule file", (name, env) => {
    const file = `${name}.rules.yml`;
    // What the monitoring app would evaluate, or, without one, what it would once monitoring is set.
    fs.writeFileSync(path.join(dir, file), monitoringFiles(env)?.rules ?? toYaml(alertRules(env)));
    const result = runTool(promtool!, ["check", "rules", file], dir);
    expectSuccess(result);
    expect(result.output).toContain(`SUCCESS: ${alertRules(env).groups.reduce((n, g) => n + g.rules.length, 0)} rules found`);
  });

  const monitored = environments.filter((e) => e.monitoring !== undefined);
  (amtool && monitored.length > 0 ? test.each(monitored.map((e) => [e.name, e] as const)) : test.skip.each([["(none)", undefined]]))(
    "%s: amtool check-config passes on its Alertmanager configuration",
    (name, env) => {
      const file = `${name}.alertmanager.yml`;
      fs.writeFileSync(path.join(dir, file), monitoringFiles(env!)!.alertmanager);
      expectSuccess(runTool(amtool!, ["check-config", file], dir));
    },
  );
});
