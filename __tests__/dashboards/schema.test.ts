/**
 * Every generated dashboard validates against Grafana's published dashboard schema: the `Dashboard`
 * type of @grafana/schema (pinned in package.json), turned into JSON Schema by
 * ts-json-schema-generator and checked with ajv.
 */
import * as path from "node:path";
import Ajv from "ajv";
import { createGenerator } from "ts-json-schema-generator";
import { environmentDashboards, dashboardJson } from "../../src/features/dashboards/build";
import { validateEnvironments } from "../../src/config/validate";
import { loadEnvironmentSources } from "../../src/config/load";
import type { EnvironmentConfig } from "../../src/config/types";
import { dashboardEnvironment } from "./fixture";

jest.setTimeout(120_000);

const RAW_TYPES = path.join(path.dirname(require.resolve("@grafana/schema/package.json")), "dist", "types", "raw", "dashboard", "x", "types.gen.d.ts");

describe("dashboards against @grafana/schema's Dashboard", () => {
  const schema = createGenerator({ path: RAW_TYPES, type: "Dashboard", skipTypeCheck: true, expose: "export", topRef: true, additionalProperties: true }).createSchema("Dashboard");
  const ajv = new Ajv({ allErrors: true, strict: false });
  const validate = ajv.compile(schema);
  const check = (env: EnvironmentConfig) => {
    const [valid] = validateEnvironments([{ name: env.name, value: env }]);
    return environmentDashboards(valid).map((d) => {
      const json = JSON.parse(dashboardJson(d.dashboard)) as unknown;
      return { name: `${d.environment}/${d.name}`, valid: validate(json), errors: ajv.errorsText(validate.errors) };
    });
  };

  it("the schema is Grafana's: it requires schemaVersion and knows panels", () => {
    expect(JSON.stringify(schema)).toContain("schemaVersion");
    expect(validate({ title: "no schemaVersion" })).toBe(false);
  });

  it("a test environment with SLOs, volumes, metrics, limits, several groups and Grafana", () => {
    const results = check(dashboardEnvironment() as unknown as EnvironmentConfig);
    expect(results.map((r) => r.name)).toEqual(["dash/web", "dash/db", "dash/api", "dash/monitoring", "dash/overview"]);
    for (const r of results) expect({ name: r.name, valid: r.valid, errors: r.valid ? "" : r.errors }).toEqual({ name: r.name, valid: true, errors: "" });
  });

  it("the environments in environments/ (whatever a team keeps there)", () => {
    const { sources, issues } = loadEnvironmentSources(path.join(__dirname, "..", "..", "environments"));
    for (const env of validateEnvironments(sources, issues)) {
      for (const r of check(env)) expect({ name: r.name, valid: r.valid, errors: r.valid ? "" : r.errors }).toEqual({ name: r.name, valid: true, errors: "" });
    }
  });
});
