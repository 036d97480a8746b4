import { MachineVolume } from "../../constructs/machine-volume";
import { resource, synth } from "./helpers";

const base = {
  appName: "acme-db",
  name: "pg_data_iad_1",
  region: "iad",
  sizeGb: 10,
  compute: { cpuKind: "performance" as const, cpus: 1, memoryMb: 2048 },
  logicalId: "db_postgres_iad_1",
};

describe("MachineVolume", () => {
  test("defaults: encrypted, 7 days of snapshots, automatic backups, app-wide zone spread, compute of its machine", () => {
    const json = synth((scope) => new MachineVolume(scope, "v", base));
    expect(resource(json, "fly_volume", "db_postgres_iad_1")).toMatchObject({
      app: "acme-db",
      name: "pg_data_iad_1",
      region: "iad",
      size_gb: 10,
      encrypted: true,
      snapshot_retention: 7,
      auto_backup_enabled: true,
      unique_zone_app_wide: true,
      compute: { cpu_kind: "performance", cpus: 1, memory_mb: 2048 },
    });
  });

  test("no prevent_destroy unless protected", () => {
    const json = synth((scope) => new MachineVolume(scope, "v", base));
    expect(resource(json, "fly_volume", "db_postgres_iad_1").lifecycle).not.toHaveProperty("prevent_destroy");
  });

  test("protected volumes carry prevent_destroy", () => {
    const json = synth((scope) => new MachineVolume(scope, "v", { ...base, protected: true }));
    expect(resource(json, "fly_volume", "db_postgres_iad_1").lifecycle).toMatchObject({ prevent_destroy: true });
  });

  test.each([false, true])("creation-only placement hints are ignored after creation (protected: %p), so a guest change never replaces the volume", (isProtected) => {
    const json = synth((scope) => new MachineVolume(scope, "v", { ...base, protected: isProtected }));
    expect(resource(json, "fly_volume", "db_postgres_iad_1").lifecycle).toHaveProperty("ignore_changes", ["compute", "unique_zone_app_wide", "require_unique_zone"]);
  });

  test("explicit settings win over defaults", () => {
    const json = synth((scope) => new MachineVolume(scope, "v", { ...base, encrypted: false, snapshotRetentionDays: 30, autoBackup: false }));
    expect(resource(json, "fly_volume", "db_postgres_iad_1")).toMatchObject({ encrypted: false, snapshot_retention: 30, auto_backup_enabled: false });
  });

  test.each([0, 61, 2.5])("snapshot retention %p is refused with the allowed range", (days) => {
    expect(() => synth((scope) => new MachineVolume(scope, "v", { ...base, snapshotRetentionDays: days }))).toThrow(
      `MachineVolume pg_data_iad_1: snapshotRetentionDays is ${days}; allowed 1 to 60`,
    );
  });

  test("a size below 1 GB is refused", () => {
    expect(() => synth((scope) => new MachineVolume(scope, "v", { ...base, sizeGb: 0 }))).toThrow(
      "MachineVolume pg_data_iad_1: sizeGb is 0; it must be a whole number of at least 1",
    );
  });
});
