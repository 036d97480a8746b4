/** A synthesized stack's Fly resources (cdk.tf.json), grouped by app, with `${fly_app.X.name}` resolved. */
type Attrs = Record<string, unknown>;

export interface Declared {
  /** Terraform address, e.g. fly_machine.web_web_iad_1. */
  readonly address: string;
  readonly attrs: Attrs;
}

export interface DeclaredApp {
  readonly address: string;
  readonly name: string;
  readonly machines: Declared[];
  readonly volumes: Declared[];
  readonly ips: Declared[];
  readonly secrets: Declared[];
  readonly certs: Declared[];
}

const KINDS = { fly_machine: "machines", fly_volume: "volumes", fly_ip: "ips", fly_secret: "secrets", fly_cert: "certs" } as const;

/** Replaces `${fly_app.X.name}` with app X's name and `${fly_volume.X.id}` with `volume:<X's name>`, everywhere in `value`. */
function resolve(value: unknown, apps: Map<string, string>, volumes: Map<string, string>): unknown {
  if (typeof value === "string")
    return value
      .replace(/\$\{fly_app\.([\w-]+)\.name\}/g, (whole, key: string) => apps.get(key) ?? whole)
      .replace(/^\$\{fly_volume\.([\w-]+)\.id\}$/, (whole, key: string) => (volumes.has(key) ? `volume:${volumes.get(key)}` : whole));
  if (Array.isArray(value)) return value.map((v) => resolve(v, apps, volumes));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).filter(([k]) => k !== "//").map(([k, v]) => [k, resolve(v, apps, volumes)]));
  return value;
}

export function declaredApps(stackJson: unknown): DeclaredApp[] {
  const resources = ((stackJson as { resource?: Record<string, Record<string, Attrs>> })?.resource ?? {}) as Record<string, Record<string, Attrs>>;
  const appNames = new Map(Object.entries(resources.fly_app ?? {}).map(([key, attrs]) => [key, String(attrs.name)]));
  const volumeNames = new Map(Object.entries(resources.fly_volume ?? {}).map(([key, attrs]) => [key, String(attrs.name)]));
  const apps = new Map<string, DeclaredApp>();
  for (const [key, name] of appNames) apps.set(name, { address: `fly_app.${key}`, name, machines: [], volumes: [], ips: [], secrets: [], certs: [] });
  for (const [type, list] of Object.entries(KINDS)) {
    for (const [key, raw] of Object.entries(resources[type] ?? {})) {
      const attrs = resolve(raw, appNames, volumeNames) as Attrs;
      const app = apps.get(String(attrs.app));
      // A resource of an app the stack does not create (a literal name): audited under that name.
      const target = app ?? { address: String(attrs.app), name: String(attrs.app), machines: [], volumes: [], ips: [], secrets: [], certs: [] };
      if (!app) apps.set(target.name, target);
      target[list].push({ address: `${type}.${key}`, attrs });
    }
  }
  return [...apps.values()];
}
