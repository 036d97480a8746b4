/**
 * The house rules, checked on every file of the project: every import points down the layers
 * declared in ./layers.ts, and no import cycle exists. Each check is shown to fail on a planted
 * violation, so it cannot pass by checking nothing.
 */
import { importCycles, LAYERS, layerOf, projectImportGraph, upwardImports } from "./layers";

const graph = projectImportGraph();

test("the graph covers the project: every source file is in a layer, and imports are found", () => {
  const files = [...graph.keys()];
  expect(files.length).toBeGreaterThan(200);
  expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  expect([...graph.values()].reduce((n, targets) => n + targets.length, 0)).toBeGreaterThan(500);
  // Spot checks that the reader sees each kind of import.
  expect(graph.get("cli/commands/audit.ts")).toEqual(expect.arrayContaining(["src/features/audit/audit.ts", "src/fly/api/client.ts"]));
  expect(graph.get("constructs/process-group.ts")).toEqual(expect.arrayContaining([".gen/providers/fly/machine/index.ts", "src/config/adoption.ts"]));
});

test("every import points down: no layer imports a layer above it", () => {
  expect(upwardImports(graph)).toEqual([]);
});

test("no import cycle", () => {
  expect(importCycles(graph)).toEqual([]);
});

describe("the checks fail on planted violations", () => {
  test("an upward import (a feature importing the CLI, the configuration model importing a feature)", () => {
    const planted = new Map(graph);
    planted.set("src/features/audit/audit.ts", [...(graph.get("src/features/audit/audit.ts") ?? []), "cli/fly-client.ts"]);
    planted.set("src/config/validate.ts", [...(graph.get("src/config/validate.ts") ?? []), "src/features/alerts/index.ts"]);
    const found = upwardImports(planted).filter((v) => !upwardImports(graph).includes(v));
    expect(found).toEqual([
      "src/config/validate.ts → src/features/alerts/index.ts (configuration model imports features, a layer above it)",
      "src/features/audit/audit.ts → cli/fly-client.ts (features imports cli, a layer above it)",
    ]);
  });

  test("a cycle of three files, and a file importing itself", () => {
    const planted = new Map(graph);
    planted.set("src/util/quote.ts", ["src/util/json-object.ts"]);
    planted.set("src/util/json-object.ts", ["src/util/project-root.ts"]);
    planted.set("src/util/project-root.ts", ["src/util/quote.ts"]);
    planted.set("src/fly/naming.ts", ["src/fly/naming.ts"]);
    const known = JSON.stringify(importCycles(graph));
    expect(importCycles(planted).filter((c) => !known.includes(JSON.stringify(c))).sort()).toEqual([["src/fly/naming.ts"], ["src/util/json-object.ts", "src/util/project-root.ts", "src/util/quote.ts"]]);
  });
});

test("the layers are declared once, top to bottom, each named", () => {
  expect(LAYERS.map((l) => l.name)).toEqual(["tooling", "cli", "environments", "synthesis", "constructs", "policies", "features", "process", "configuration model", "Fly knowledge", "utilities", "generated"]);
});
