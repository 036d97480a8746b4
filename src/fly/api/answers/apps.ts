/** An app (GET /v1/apps/{app}) and its secrets' names (GET /v1/apps/{app}/secrets). */
import type { components } from "../../../../.gen/fly-api/machines";
import { asList, asObject, objectsIn, withoutNulls } from "./json";

export type FlyApp = components["schemas"]["App"];

/** A secret as listed: its name and digest, never a value. */
export interface FlySecretName {
  readonly name: string;
  readonly digest?: string;
}

export function readApp(body: unknown, endpoint: string): FlyApp {
  return withoutNulls(asObject(body, endpoint, "a JSON object (App)")) as FlyApp;
}

/**
 * `{ secrets: [{ name, digest, … }] }` (null: none). Fly's older API answered a bare array of
 * `{ label, type }` secret keys at this path (fly-go's old ListSecrets); that is refused with a clear
 * error rather than read as "no secrets".
 */
export function readSecretNames(body: unknown, endpoint: string): FlySecretName[] {
  const expected = "a JSON object { secrets: [{ name, digest }] }";
  const answer = asObject(body, endpoint, expected);
  return objectsIn(asList(answer.secrets, endpoint, `${expected} whose secrets is a list`), endpoint, "secret")
    .filter((s) => typeof s.name === "string" && s.name !== "")
    .map((s) => ({ name: s.name as string, ...(typeof s.digest === "string" ? { digest: s.digest } : {}) }));
}
