/**
 * A generated per-app repository, as a team with one app per customer keeps it: a git checkout of
 * this project (its code, its built CLI in dist/, node_modules linked) whose environments/ holds one
 * protected environment, `customers`, with `stacks: "per-app"` and one app per entry of
 * environments/customers.json, each built by the shared preset environments/_customer.ts (one
 * machine, a custom domain, a secret: the shape of bench/generated-environment.ts).
 *
 * Changing one customer edits customers.json (that customer's stack changes); changing the preset
 * edits _customer.ts (every stack changes).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { git } from "./process-sample";

const root = path.join(__dirname, "..");

/** What a checkout holds that synthesis and the CLI need (tests, docs and the provider double's sources stay out). */
const COPIED = ["main.ts", "src", "stacks", "constructs", "policies", "cli", "bin", ".gen", "providers", "dist", "package.json", "package-lock.json", "tsconfig.json", "tsconfig.build.json", ".gitignore"];

export const PRESET_FILE = path.join("environments", "_customer.ts");
export const CUSTOMERS_FILE = path.join("environments", "customers.json");

export interface Customer {
  readonly key: string;
  readonly domain: string;
}

export function customers(count: number): Customer[] {
  return Array.from({ length: count }, (_, i) => {
    const key = `c${String(i).padStart(5, "0")}`;
    return { key, domain: `${key}.example.com` };
  });
}

/** The preset every customer's app is built by; `tag` is the image's version (the shared change). */
export function presetSource(tag = "v1.0.0"): string {
  return `import type { AppConfig } from "../src/config/types";

/** One customer's app: one small machine behind HTTPS, its own domain and database secret. */
export function customerApp(customer: { readonly key: string; readonly domain: string }): AppConfig {
  return {
    name: \`bench-\${customer.key}\`,
    domains: [customer.domain],
    secrets: { DATABASE_URL: { version: "1" } },
    suppressions: [{ id: "FLY004", reason: "one small app per customer; a customer's outage is theirs alone" }],
    groups: {
      web: {
        image: "registry.fly.io/bench-customer:${tag}",
        guest: { cpuKind: "shared", cpus: 1, memoryMb: 512 },
        regions: ["iad"],
        count: 1,
        env: { NODE_ENV: "production" },
        services: [{ internalPort: 8080, ports: [{ port: 443, handlers: ["tls", "http"] }], checks: [{ type: "http", path: "/health" }] }],
      },
    },
  };
}
`;
}

const ENVIRONMENT_SOURCE = `import type { EnvironmentConfig } from "../src/config/types";
import list from "./customers.json";
import { customerApp } from "./_customer";

/** One app per customer, each in its own stack. */
const customers: EnvironmentConfig = {
  name: "customers",
  project: "bench",
  protected: true,
  stacks: "per-app",
  fly: { org: "bench" },
  dns: { zone: "example.com", cloudflareZoneId: "0123456789abcdef0123456789abcdef" },
  state: { backend: "s3", bucket: "bench-state", endpoint: "https://fly.storage.tigris.dev" },
  apps: Object.fromEntries(list.map((customer) => [customer.key, customerApp(customer)])),
};

export default customers;
`;

/** Writes the repository of `count` customers into a new folder and commits it; returns the folder. */
export function writeGeneratedRepository(count: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flystack-bench-repo-"));
  for (const entry of COPIED) {
    const from = path.join(root, entry);
    if (!fs.existsSync(from)) continue;
    // Timestamps kept, so bin/flystack finds dist/ as fresh as here and runs it (as CI does after npm ci).
    fs.cpSync(from, path.join(dir, entry), { recursive: true, preserveTimestamps: true, filter: (src) => !src.startsWith(path.join(root, "providers", "double")) });
  }
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.mkdirSync(path.join(dir, "environments"));
  fs.writeFileSync(path.join(dir, PRESET_FILE), presetSource());
  fs.writeFileSync(path.join(dir, CUSTOMERS_FILE), `${JSON.stringify(customers(count), null, 1)}\n`);
  fs.writeFileSync(path.join(dir, "environments", "customers.ts"), ENVIRONMENT_SOURCE);
  fs.appendFileSync(path.join(dir, ".gitignore"), "\n/node_modules\n/.flystack-cache/\n/synthesized/\n/batches.json\n/plans*/\n");
  git(dir, "init", "-q");
  git(dir, "add", "-A");
  git(dir, "commit", "-q", "-m", "customers");
  return dir;
}
