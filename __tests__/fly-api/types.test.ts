import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");
const committed = path.join(root, ".gen", "fly-api", "machines.ts");
const document = path.join(root, "providers", "fly-machines.openapi.json");

describe("generated Fly Machines API types", () => {
  test("regenerating from providers/fly-machines.openapi.json gives exactly the committed file (run `npm run gen:fly-api`)", () => {
    // A child process: openapi-typescript pulls in ES-module-only packages that Jest's loader cannot require.
    const fresh = execFileSync(path.join(root, "node_modules", ".bin", "tsx"), [path.join(root, "scripts", "gen-fly-api.ts"), "--stdout"], { cwd: root, encoding: "utf8" });
    expect(fresh).toContain("Generated, do not edit");
    expect(fs.readFileSync(committed, "utf8")).toBe(fresh);
  });

  test("the trimmed document keeps Fly's operationIds, each once, for what the provider calls", () => {
    const doc = JSON.parse(fs.readFileSync(document, "utf8")) as { paths: Record<string, Record<string, unknown>> };
    const ids = Object.values(doc.paths).flatMap((item) =>
      Object.values(item).flatMap((op) => (typeof op === "object" && op !== null && "operationId" in op ? [String(op.operationId)] : [])),
    );
    expect(ids).toEqual(expect.arrayContaining(["Apps_create", "Machines_create", "Machines_wait", "Volumes_extend", "Secrets_update", "App_IPAssignments_create", "App_Certificates_check"]));
    expect(new Set(ids).size).toBe(ids.length);
  });
});
