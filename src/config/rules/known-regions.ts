import { FLY_REGIONS, isFlyRegion } from "../../fly/regions";
import { type ConfigRule, groupsOf } from "./rule";
import { quote } from "../issue";

/** Regions must be real Fly regions, each listed once per group. */
export const knownRegions: ConfigRule = {
  id: "known-regions",
  check: (env) =>
    groupsOf(env).flatMap(({ group, path }) =>
      group.regions.flatMap((region, i) => {
        const unknown = unknownRegion(region);
        if (unknown) return [{ path: `${path}.regions[${i}]`, message: unknown }];
        if (group.regions.indexOf(region) !== i) {
          return [{ path: `${path}.regions[${i}]`, message: `region ${quote(region)} is listed twice; use "count" for more machines per region` }];
        }
        return [];
      }),
    ),
};

/** Why `region` is not a Fly region, listing the allowed ones; undefined for a real one. */
export function unknownRegion(region: string): string | undefined {
  return isFlyRegion(region) ? undefined : `unknown Fly region ${quote(region)}; allowed: ${Object.keys(FLY_REGIONS).join(", ")}`;
}
