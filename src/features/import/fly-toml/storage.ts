/**
 * What a group stores: `[[mounts]]` as its volume (one per group, as Fly allows), `[[files]]` as its
 * files. A section without `processes` belongs to the default group only (flyctl's Flatten). Pure,
 * but for `readLocal`, the caller's way to read a `local_path` file at import time.
 */
import type { FileConfig, VolumeConfig } from "../../../config/types";
import { groupsFor, type ProcessGroups } from "./groups";
import type { Ledger } from "./ledger";
import type { FlyToml } from "./parse";
import { sizeGb, wholeNumber } from "./values";

/** A volume name flystack accepts (the prefix of `<name>_<region>_<n>`: src/config/schema.ts). */
const VOLUME_NAME = /^[a-z][a-z0-9_]*$/;

export function volumesOf(toml: FlyToml, groups: ProcessGroups, ledger: Ledger): Map<string, VolumeConfig> {
  const volumes = new Map<string, VolumeConfig>();
  (toml.mounts ?? []).forEach((mount, m) => {
    const path = `mounts[${m}]`;
    const targets = groupsFor(mount.processes, groups, path, ledger);
    if (typeof mount.source !== "string" || !VOLUME_NAME.test(mount.source)) {
      ledger.problem(`${path}.source`, `${JSON.stringify(mount.source)} is not a volume name flystack accepts`, "use lowercase letters, digits and underscores, starting with a letter (the live volumes keep their names: `flystack import app` adopts them)");
      return;
    }
    if (typeof mount.destination !== "string" || !mount.destination.startsWith("/") || mount.destination === "/") {
      ledger.problem(`${path}.destination`, `${JSON.stringify(mount.destination)} is not a mount path`, 'write an absolute path other than "/", e.g. "/data"');
      return;
    }
    ledger.carry(`${path}.source`, "volume.name");
    ledger.carry(`${path}.destination`, "volume.path");
    let size = 1;
    if (mount.initial_size === undefined) {
      ledger.note(`${path}`, "sets no initial_size; Fly creates 1 GB volumes, and existing volumes may have been extended since", "set sizeGb to the live volumes' size (`fly volumes list`)");
    } else {
      const gb = sizeGb(mount.initial_size);
      if (gb === undefined) ledger.problem(`${path}.initial_size`, `${JSON.stringify(mount.initial_size)} is not a size`, 'write it as "10gb"');
      else {
        size = gb;
        ledger.carry(`${path}.initial_size`, "volume.sizeGb");
      }
    }
    const volume: { -readonly [K in keyof VolumeConfig]: VolumeConfig[K] } = { name: mount.source, path: mount.destination, sizeGb: size };
    if (mount.snapshot_retention !== undefined) {
      const days = wholeNumber(mount.snapshot_retention, `${path}.snapshot_retention`, ledger, "a number of days");
      if (days !== undefined) {
        volume.snapshotRetentionDays = days;
        ledger.carry(`${path}.snapshot_retention`, "volume.snapshotRetentionDays");
      }
    }
    if (typeof mount.scheduled_snapshots === "boolean") {
      volume.autoBackup = mount.scheduled_snapshots;
      ledger.carry(`${path}.scheduled_snapshots`, "volume.autoBackup");
    }
    for (const key of ["auto_extend_size_threshold", "auto_extend_size_increment", "auto_extend_size_limit"]) {
      if (mount[key] !== undefined) ledger.note(`${path}.${key}`, "provider ampbase-io/fly 0.2 cannot extend volumes automatically", "watch the volume's usage (the VolumeUsageHigh alert) and raise sizeGb");
    }
    for (const group of targets) {
      if (volumes.has(group)) ledger.problem(`${path}.processes`, `gives process group ${JSON.stringify(group)} a second volume; Fly mounts one volume per machine`, "keep one mount per group");
      else volumes.set(group, volume);
    }
  });
  return volumes;
}

/**
 * `[[files]]`: `raw_value` is the file's text (flyctl base64-encodes it), `local_path` a file read now,
 * beside the fly.toml (flyctl reads it at deploy time), `secret_name` a secret holding the base64
 * content (declared on the app, its value set like any secret's).
 */
export function filesOf(toml: FlyToml, groups: ProcessGroups, ledger: Ledger, readLocal: ((path: string) => Buffer) | undefined, secrets: Set<string>): Map<string, FileConfig[]> {
  const files = new Map<string, FileConfig[]>();
  (toml.files ?? []).forEach((entry, i) => {
    const path = `files[${i}]`;
    const targets = groupsFor(entry.processes, groups, path, ledger);
    if (typeof entry.guest_path !== "string" || !entry.guest_path.startsWith("/")) {
      ledger.problem(`${path}.guest_path`, `${JSON.stringify(entry.guest_path)} is not an absolute path`, 'write where the file goes, e.g. "/etc/app/config.json"');
      return;
    }
    const sources = ["raw_value", "local_path", "secret_name"].filter((k) => entry[k] !== undefined && entry[k] !== "");
    if (sources.length !== 1) {
      ledger.note(path, sources.length === 0 ? "a file with no content (an empty source removes the file on fly deploy)" : `a file with ${sources.join(" and ")}: Fly takes exactly one`, "it is left out; give one of raw_value, local_path or secret_name");
      return;
    }
    ledger.carry(`${path}.guest_path`, "files[].guestPath");
    let file: FileConfig | undefined;
    if (typeof entry.raw_value === "string" && entry.raw_value !== "") {
      file = { guestPath: entry.guest_path, rawValue: Buffer.from(entry.raw_value, "utf8").toString("base64") };
      ledger.carry(`${path}.raw_value`, "files[].rawValue (base64 of the text, as flyctl sends it)");
    } else if (typeof entry.local_path === "string" && entry.local_path !== "") {
      if (!readLocal) {
        ledger.problem(`${path}.local_path`, "names a file beside the fly.toml, which this import cannot read", "run `flystack import fly-toml` on the fly.toml in its own directory");
        return;
      }
      try {
        file = { guestPath: entry.guest_path, rawValue: readLocal(entry.local_path).toString("base64") };
        ledger.carry(`${path}.local_path`, "files[].rawValue (the file's content, read at import time)");
      } catch (error) {
        ledger.problem(`${path}.local_path`, `${JSON.stringify(entry.local_path)} cannot be read: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, "import from a checkout that has the file");
        return;
      }
    } else if (typeof entry.secret_name === "string") {
      file = { guestPath: entry.guest_path, secretName: entry.secret_name };
      secrets.add(entry.secret_name);
      ledger.carry(`${path}.secret_name`, "files[].secretName (the secret is declared on the app)");
    }
    if (file) for (const group of targets) files.set(group, [...(files.get(group) ?? []), file]);
  });
  return files;
}
