// Reads the project's own hand-written plan fixtures (not the shared Terraform ones).
import { readFileSync } from "node:fs";
import path from "node:path";
import { parsePlanJson, type TerraformPlan } from "../../src/features/plan/plan-json";

export const FIXTURES = path.join(__dirname, "fixtures");

/** The leak canary every fixture plants in attribute values; it must never be rendered. */
export const SECRET = "s3cr3t-value-should-not-leak";

export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), "utf8");
}

export function loadFixture(name: string): TerraformPlan {
  return parsePlanJson(fixtureText(name), `fixtures/${name}`);
}
