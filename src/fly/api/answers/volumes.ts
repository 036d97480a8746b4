/** Volumes (GET /v1/apps/{app}/volumes): a JSON array (null: none), nulls read as absent (e.g. `attached_machine_id: null` when detached). */
import type { components } from "../../../../.gen/fly-api/machines";
import { asList, objectsIn, withoutNulls } from "./json";

export type FlyVolume = components["schemas"]["Volume"];

export function readVolumes(body: unknown, endpoint: string): FlyVolume[] {
  return objectsIn(asList(body, endpoint, "a JSON array of volumes"), endpoint, "volume").map((v) => withoutNulls(v) as FlyVolume);
}
