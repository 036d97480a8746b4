import { volumeName } from "../../fly/naming";
import { type ConfigRule, groupsOf } from "./rule";
import { quote } from "../issue";

/** Fly volume names may be at most 30 characters. */
const MAX_VOLUME_NAME = 30;

/**
 * Each machine that mounts a volume gets its own volume in its own region: the volume names
 * generated per machine (`<name>_<region>_<n>`) must be distinct within the app and fit Fly's limit.
 */
export const volumePerMachine: ConfigRule = {
  id: "volume-per-machine",
  check: (env) => {
    const seen = new Map<string, string>();
    return groupsOf(env).flatMap(({ appKey, group, path }) => {
      const volume = group.volume;
      if (!volume) return [];
      const longest = volumeName(volume.name, group.regions.reduce((a, b) => (b.length > a.length ? b : a)), group.count ?? 1);
      if (longest.length > MAX_VOLUME_NAME) {
        return [{ path: `${path}.volume.name`, message: `volume name ${quote(longest)} is ${longest.length} characters; Fly allows at most ${MAX_VOLUME_NAME}, so shorten ${quote(volume.name)}` }];
      }
      const key = `${appKey}/${volume.name}`;
      const other = seen.get(key);
      seen.set(key, path);
      return other
        ? [{ path: `${path}.volume.name`, message: `volume name ${quote(volume.name)} is already used by ${other}; each machine needs its own volume` }]
        : [];
    });
  },
};
