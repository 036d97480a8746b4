/**
 * Volumes: declared (fly_volume) against live, matched by name and region. `mounted` names the
 * declared volumes a declared machine mounts: such a volume left unattached is drift. Pure.
 */
import type { FlyVolume } from "../../fly/api/client";
import { VOLUME } from "../../fly/defaults";
import type { Declared } from "./desired";
import type { Finding } from "./types";

/** States of a volume that is gone or going (fly-go flaps/flaps_volumes.go destroyedVolumeStates, and "destroyed"). */
export const GONE_VOLUME_STATES = new Set(["destroyed", "destroying", "pending_destroy", "scheduling_destroy", "fork_cleanup", "waiting_for_detach"]);

export function auditVolumes(declared: readonly Declared[], live: readonly FlyVolume[], mounted: ReadonlySet<string> = new Set(), adoptedIds: ReadonlySet<string> = new Set()): Omit<Finding, "app">[] {
  const out: Omit<Finding, "app">[] = [];
  // Volumes adopted by id (mounted, not managed) are checked through their machine's mounts.
  const pool = live.filter((v) => !GONE_VOLUME_STATES.has(v.state ?? "") && !adoptedIds.has(v.id ?? ""));
  for (const d of declared) {
    const i = pool.findIndex((v) => v.name === d.attrs.name && (d.attrs.region === undefined || v.region === d.attrs.region));
    if (i < 0) {
      out.push({ resource: d.address, field: "volume", expected: `${d.attrs.name} in ${d.attrs.region}`, actual: "missing", severity: "drift" });
      continue;
    }
    const [v] = pool.splice(i, 1);
    const size = Number(d.attrs.size_gb);
    if (d.attrs.size_gb !== undefined && v.size_gb !== size)
      out.push({ resource: d.address, field: "size_gb", expected: size, actual: v.size_gb, severity: "drift" });
    // A setting the answer leaves out is Fly's default.
    for (const key of ["snapshot_retention", "auto_backup_enabled"] as const)
      if (d.attrs[key] !== undefined && String(v[key] ?? VOLUME[key]) !== String(d.attrs[key])) out.push({ resource: d.address, field: key, expected: d.attrs[key], actual: v[key] ?? VOLUME[key], severity: "drift" });
    if (mounted.has(String(d.attrs.name)) && !v.attached_machine_id)
      out.push({ resource: d.address, field: "attached_machine_id", expected: "attached to its machine", actual: "unattached", severity: "drift" });
    if (v.encrypted === false) out.push({ resource: d.address, field: "encrypted", expected: true, actual: false, severity: d.attrs.encrypted === false ? "warning" : "drift" });
  }
  for (const v of pool) out.push({ resource: v.id ?? v.name ?? "?", field: "volume", expected: "none", actual: `${v.name} in ${v.region} (${v.size_gb} GB)`, severity: "drift" });
  return out;
}
