import * as path from "node:path";
import { parse } from "yaml";
import { type Command, EXIT } from "../command";
import { parseArgs } from "../args";
import { synthesize } from "../synth";
import { byEnvironment, readSynthesizedStacks } from "../synthesized";
import { deployedMonitoring } from "../../src/features/alerts/deployed";
import { MONITORING_FILES } from "../../src/config/monitoring";

export const alerts: Command = {
  name: "alerts",
  summary: "Print the alerting rules and alert routes each environment's monitoring app would run (YAML)",
  help: `Usage: flystack alerts [ENV…] [--json]

Synthesizes, then prints for each environment what its monitoring app (the environment's
"monitoring" setting) would run, read back from the synthesized machines' files, so it is exactly
what a plan deploys: the rule file vmalert evaluates (${MONITORING_FILES.rules}: every app's
platform alerts, and SLO burn-rate alerts for services with "slo") and Alertmanager's routes and
receivers (${MONITORING_FILES.alertmanager}; receiver addresses are secrets, named, never shown).
The output is a YAML stream, one document per file, for review in a pull request. An environment
without a monitoring app deploys no alert, and a comment says so.

Arguments:
  ENV…       Environments to print; globs work. Default: every environment.
Options:
  --json     Print { environments: [ { name, monitoringApp, rules, alertmanager } ] }, the files
             parsed (null for an environment without a monitoring app).
  --help     Show this help.

Exit codes: 0 printed; 1 invalid configuration or a name that matches no environment.`,
  async run(args, ctx) {
    const { options, positionals } = parseArgs(args, { json: { kind: "boolean" } });
    if (!(await synthesize(ctx, { select: positionals })).ok) return EXIT.error;
    const environments = byEnvironment(readSynthesizedStacks(path.join(ctx.cwd, "cdktf.out"), positionals)).map((stack) => ({
      name: stack.name,
      deployed: deployedMonitoring(stack.json),
    }));
    if (options.json) {
      const json = environments.map(({ name, deployed }) => ({
        name,
        monitoringApp: deployed?.app ?? null,
        rules: deployed ? (parse(deployed.rules) as unknown) : null,
        alertmanager: deployed ? (parse(deployed.alertmanager) as unknown) : null,
      }));
      ctx.stdout.write(`${JSON.stringify({ environments: json }, null, 2)}\n`);
      return EXIT.ok;
    }
    const documents = environments.map(({ name, deployed }) => {
      if (!deployed) return `# ${name}: no monitoring app ("monitoring" is not set in environments/${name}.ts): no alert is evaluated or sent.\n`;
      const count = (parse(deployed.rules) as { groups?: { rules?: unknown[] }[] }).groups?.reduce((n, g) => n + (g.rules?.length ?? 0), 0) ?? 0;
      return [
        `# ${name}: monitoring app ${deployed.app}, ${count} alerting rules`,
        `# ${name}: ${MONITORING_FILES.rules} (vmalert)`,
        deployed.rules.trimEnd(),
        "---",
        `# ${name}: ${MONITORING_FILES.alertmanager} (Alertmanager)`,
        deployed.alertmanager.trimEnd(),
        "",
      ].join("\n");
    });
    ctx.stdout.write(documents.join("---\n"));
    return EXIT.ok;
  },
};
