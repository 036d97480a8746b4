/**
 * `src/features/new-environment/new-environment.ts` and `src/config/render-environment.ts`: how `flystack new env` names the new
 * environment's apps and hostnames, and that a rendered file loads as the configuration it renders.
 * (The command end to end, on a project copy: __tests__/cli/new-env.test.ts.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { deriveAppName, deriveEnvironment, environmentNameProblem, moveHostname } from "../../src/features/new-environment/new-environment";
import { constantName, renderEnvironmentFile } from "../../src/config/render-environment";
import { validEnvironment, validService, web, withWorkerApp } from "./fixtures";

describe("deriveAppName", () => {
  test.each([
    ["acme-api-staging", "staging", "qa", "acme-api-qa"],
    ["staging-api", "staging", "qa", "qa-api"],
    ["acme-api-staging-eu", "staging-eu", "qa", "acme-api-qa"],
    ["acme-api-prod", "production", "qa", "acme-api-qa"],
    ["acme-api", "staging", "qa", "acme-api-qa"],
    ["acme-stagingx", "staging", "qa", "acme-stagingx-qa"],
  ])("%s from %s → %s: %s", (app, from, to, expected) => {
    expect(deriveAppName(app, from, to)).toBe(expected);
  });
});

describe("moveHostname", () => {
  test.each([
    ["api.staging.example.com", { subdomain: "qa" }, "api.qa.example.com"],
    ["*.preview.staging.example.com", { subdomain: "qa" }, "*.preview.qa.example.com"],
    ["staging.example.com", { subdomain: "qa" }, "qa.example.com"],
    ["example.com", { subdomain: "qa" }, "qa.example.com"],
    ["api.example.com", { subdomain: "eu.qa" }, "api.eu.qa.example.com"],
    ["api.staging.example.com", { zone: "acme-qa.dev", cloudflareZoneId: "x" }, "api.acme-qa.dev"],
    ["example.com", { zone: "acme-qa.dev", cloudflareZoneId: "x" }, "acme-qa.dev"],
  ])("%s with %j → %s", (hostname, target, expected) => {
    expect(moveHostname(hostname, "example.com", "staging", target)).toBe(expected);
  });
});

test("environment names follow the schema's rule for name", () => {
  expect(environmentNameProblem("qa-2")).toBeUndefined();
  expect(environmentNameProblem("QA")).toMatch(/lowercase letter/);
  expect(environmentNameProblem("_qa")).toMatch(/lowercase letter/);
  expect(environmentNameProblem("2qa")).toMatch(/lowercase letter/);
});

test("constant names are identifiers, never reserved words", () => {
  expect(constantName("staging-eu")).toBe("stagingEu");
  expect(constantName("new")).toBe("newEnvironment");
  expect(constantName("qa")).toBe("qa");
});

describe("deriveEnvironment and renderEnvironmentFile", () => {
  const source = withWorkerApp(validEnvironment("staging"));
  source.protected = true;
  source.apps.api.domains = ["api.staging.example.com", "*.preview.staging.example.com"];
  web(source).services = [validService()];
  web(source).env = { NODE_ENV: "staging", "WEIRD-KEY": "1" } as never;
  const derived = deriveEnvironment(source, { name: "qa", from: "staging", hostnames: { subdomain: "qa" } });

  test("only the name, app names, hostnames and protection change", () => {
    expect(derived).toEqual({
      ...source,
      name: "qa",
      protected: false,
      apps: {
        api: { ...source.apps.api, name: "acme-api-qa", domains: ["api.qa.example.com", "*.preview.qa.example.com"] },
        worker: { ...source.apps.worker, name: "acme-worker-qa" },
      },
    });
    expect(deriveEnvironment(source, { name: "qa", from: "staging", hostnames: { subdomain: "qa" }, protected: true }).protected).toBe(true);
  });

  test("the rendered file loads as the derived configuration, using helper exports by name", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-render-"));
    try {
      const state = { ...derived.state };
      const text = renderEnvironmentFile(derived, {
        header: ["qa: a test."],
        typesModule: "../src/config/types",
        helpers: [
          { module: "./_helpers", name: "localState", value: state },
          { module: "./_helpers", name: "IMAGES", value: { api: web(source).image } },
        ],
      });
      expect(text).toMatch(/^\/\*\*\n \* qa: a test\.\n \*\/\nimport type \{ EnvironmentConfig \} from "\.\.\/src\/config\/types";\nimport \{ IMAGES, localState \} from "\.\/_helpers";\n/);
      expect(text).toContain("state: localState,");
      expect(text).toContain("image: IMAGES.api,");
      expect(text).toContain('"WEIRD-KEY": "1"');
      expect(text).toMatch(/const qa: EnvironmentConfig = \{\n {2}name: "qa",\n/);
      expect(text.split("\n").every((line) => line.length <= 120)).toBe(true);
      fs.writeFileSync(path.join(dir, "_helpers.ts"), `export const localState = ${JSON.stringify(state)};\nexport const IMAGES = { api: ${JSON.stringify(web(source).image)} };\n`);
      fs.writeFileSync(path.join(dir, "qa.ts"), text);
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const loaded = require(path.join(dir, "qa.ts")).default;
      expect(loaded).toEqual(derived);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
