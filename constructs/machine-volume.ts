import { Construct } from "constructs";
import { Volume } from "../.gen/providers/fly/volume";
import type { GuestConfig } from "../src/config/types";
import { terraformLiteral } from "../src/util/terraform-literal";

export interface MachineVolumeProps {
  /** Fly app name (a reference to the app resource, so the volume depends on it). */
  readonly appName: string;
  /** Fly volume name, distinct per machine. */
  readonly name: string;
  readonly region: string;
  readonly sizeGb: number;
  /**
   * Guest of the machine that mounts it: Fly places the volume on a host that fits that machine.
   * Used at creation only (see PLACEMENT_HINTS): a later change of the guest moves no volume.
   */
  readonly compute: GuestConfig;
  /** Terraform logical ID; part of the state contract. */
  readonly logicalId: string;
  /** @default true */
  readonly encrypted?: boolean;
  /** Days of automatic snapshots, 1–60. @default 7 */
  readonly snapshotRetentionDays?: number;
  /** @default true */
  readonly autoBackup?: boolean;
  /** Adds `prevent_destroy`, so no plan can delete the data. @default false */
  readonly protected?: boolean;
}

/**
 * Attributes Fly uses only to choose a host when the volume is created, and never reads back. The
 * provider forces a replacement when `compute.cpu_kind`, `unique_zone_app_wide` or
 * `require_unique_zone` change (internal/provider/fly/resource_volume.go), which would delete the
 * data for a mere resize of the machine. Terraform ignores later changes to them: the volume stays
 * on the host it was created on, and a guest Fly cannot fit there fails at the machine update
 * (Fly then needs the volume forked or restored from a snapshot, see docs/architecture.md).
 */
export const PLACEMENT_HINTS = ["compute", "unique_zone_app_wide", "require_unique_zone"] as const;

/**
 * One machine's persistent volume. Fly volumes are host-pinned and attach to one machine, so
 * every machine gets its own; `unique_zone_app_wide` spreads an app's volumes over distinct
 * hardware so replicas don't share a failure.
 */
export class MachineVolume extends Construct {
  public readonly volume: Volume;

  constructor(scope: Construct, id: string, props: MachineVolumeProps) {
    super(scope, id);
    const retention = props.snapshotRetentionDays ?? 7;
    if (!Number.isInteger(retention) || retention < 1 || retention > 60) {
      throw new Error(`MachineVolume ${props.name}: snapshotRetentionDays is ${retention}; allowed 1 to 60`);
    }
    if (!Number.isInteger(props.sizeGb) || props.sizeGb < 1) {
      throw new Error(`MachineVolume ${props.name}: sizeGb is ${props.sizeGb}; it must be a whole number of at least 1`);
    }
    this.volume = new Volume(this, "volume", {
      app: props.appName,
      name: terraformLiteral(props.name),
      region: terraformLiteral(props.region),
      sizeGb: props.sizeGb,
      encrypted: props.encrypted ?? true,
      snapshotRetention: retention,
      autoBackupEnabled: props.autoBackup ?? true,
      uniqueZoneAppWide: true,
      // Set, never left to the provider: fstype forces replacement and, when unset, turns unknown on
      // any in-place change (RequiresReplace before UseStateForUnknown in resource_volume.go), so a
      // mere resize would replace the volume.
      fstype: "ext4",
      compute: { cpuKind: props.compute.cpuKind, cpus: props.compute.cpus, memoryMb: props.compute.memoryMb },
      lifecycle: { ignoreChanges: [...PLACEMENT_HINTS], ...(props.protected ? { preventDestroy: true } : {}) },
    });
    this.volume.overrideLogicalId(props.logicalId);
  }
}
