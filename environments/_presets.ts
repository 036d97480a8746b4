/**
 * Building blocks shared by the environment files. Files starting with `_` are helpers, not
 * environments: main.ts skips them.
 */
import type { CheckConfig, ServiceConfig, StateConfig } from "../src/config/types";

export interface HttpServiceOptions {
  readonly internalPort: number;
  /** Path of the health endpoint. */
  readonly healthPath: string;
  /** @default "off" (machines keep running) */
  readonly autostop?: ServiceConfig["autostop"];
  /** @default 0 */
  readonly minMachinesRunning?: number;
  /** @default { type: "requests", softLimit: 200, hardLimit: 250 } */
  readonly concurrency?: ServiceConfig["concurrency"];
  /**
   * Also serve plain HTTP on port 80. Fly's force_https redirect can't be set through provider
   * ampbase-io/fly 0.2, so only enable this when the app itself redirects (X-Forwarded-Proto).
   * @default false (HTTPS only: port 443)
   */
  readonly plainHttpPort80?: boolean;
  /** Objectives that page when the error budget burns too fast (see SloConfig). @default none */
  readonly slo?: ServiceConfig["slo"];
}

/** A public HTTPS service: port 443 terminates TLS and speaks HTTP to the app; one HTTP health check. */
export function httpService(options: HttpServiceOptions): ServiceConfig {
  const check: CheckConfig = { type: "http", path: options.healthPath, interval: "10s", timeout: "2s" };
  return {
    internalPort: options.internalPort,
    protocol: "tcp",
    ports: [
      { port: 443, handlers: ["tls", "http"] },
      ...(options.plainHttpPort80 ? [{ port: 80, handlers: ["http" as const] }] : []),
    ],
    autostop: options.autostop ?? "off",
    autostart: true,
    minMachinesRunning: options.minMachinesRunning ?? 0,
    concurrency: options.concurrency ?? { type: "requests", softLimit: 200, hardLimit: 250 },
    checks: [check],
    ...(options.slo ? { slo: options.slo } : {}),
  };
}

/** A private TCP service reached over Flycast only (no public IP is allocated for it). */
export function flycastTcpService(port: number): ServiceConfig {
  return {
    internalPort: port,
    protocol: "tcp",
    ports: [{ port }],
    autostop: "off",
    autostart: true,
    checks: [{ type: "tcp", interval: "15s", timeout: "5s" }],
  };
}

/** State in Tigris (Fly's S3-compatible object storage), encrypted and locked with an S3 lock file. */
export const tigrisState: StateConfig = {
  backend: "s3",
  bucket: "acme-terraform-state",
  region: "auto",
  endpoint: "https://fly.storage.tigris.dev",
};

/** Images are pinned by digest in production, so a plan names exactly what will run. */
export const IMAGES = {
  api: "registry.fly.io/acme-api:v1.42.0@sha256:7683c6d3d65464a0be58bd6762b4e17f24a04af626e7756ae634d7ecceb9346f",
  worker: "registry.fly.io/acme-worker:v1.42.0@sha256:6100a21694472ed03f28b36b9213d87fe11882382c0d454a72dccdd116bbd2ca",
  postgres: "flyio/postgres-flex:16.6@sha256:8a2e75aeaff70e8cbda67abcc783bf65adcba5d03d4263badc5ecdf15874cb1c",
} as const;
