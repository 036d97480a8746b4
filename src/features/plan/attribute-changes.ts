/**
 * What changes on one resource: each changed attribute, before → after, as a reviewer reads it.
 *
 * What it promises:
 * - A value Terraform marks sensitive (`before_sensitive`/`after_sensitive`, at any depth) is
 *   shown as `(sensitive)`, never as itself; a write-only attribute (`…_wo`, which Terraform never
 *   stores) is never shown: its `…_wo_version` reads as "value rotated (version 3 → 4)".
 * - A value known only after apply reads `(known after apply)`. Computed attributes the
 *   configuration does not set (a machine's `instance_id`, a secret's `digest`) turn unknown on
 *   every update: they are left out and counted (`hidden`).
 * - Nested blocks and maps are shown by path (`service[0].check[0].interval`, `env.LOG_LEVEL`);
 *   an added or removed key is `(none)` on the side where it is absent.
 * - Fly's terms: a machine's image with its digest in one row; its guest as one size
 *   (`shared-cpu-1x, 512 MB`).
 */
import { parseImage } from "../../fly/image";
import { clip } from "../../util/quote";
import { isObject } from "../../util/json-object";
import type { AttributePath, PlanResourceChange, TerraformPlan } from "./plan-json";
import { configurationAddress } from "./plan-json";
import { formatPath } from "./markdown-text";

/** How a value that is not shown reads. */
export const SHOWN = {
  none: "(none)",
  sensitive: "(sensitive)",
  unknown: "(known after apply)",
} as const;

/** Longest value shown, in characters (an env value may be 64 KiB). */
const VALUE_CHARACTERS = 120;

export interface AttributeChange {
  /** `image`, `env.LOG_LEVEL`, `service[0].check[0].interval`. */
  readonly path: string;
  /** The value before, as shown: a JSON literal (`"1.4.0"`, `15`), or one of SHOWN. */
  readonly before: string;
  readonly after: string;
  /** Set when Terraform says this attribute forces the replacement. */
  readonly forces_replacement?: true;
  /** Set for a write-only value (`value_wo`, shown as `value`) whose version changed: before/after are then the versions. */
  readonly rotated?: true;
}

export interface ResourceAttributeChanges {
  readonly changes: readonly AttributeChange[];
  /** Computed attributes left out because they are only known after apply. */
  readonly hidden_computed: number;
}

const NO_CHANGES: ResourceAttributeChanges = { changes: [], hidden_computed: 0 };

/** The attribute changes of an update, a replacement or an import; nothing for creates and deletes. */
export function attributeChanges(change: PlanResourceChange, plan: Pick<TerraformPlan, "configured">): ResourceAttributeChanges {
  const { before, after } = change.change;
  if (!isObject(before) || !isObject(after)) return NO_CHANGES;
  const marks: Marks = {
    beforeSensitive: change.change.before_sensitive,
    afterSensitive: change.change.after_sensitive,
    afterUnknown: change.change.after_unknown,
  };
  const configured = plan.configured.get(configurationAddress(change));
  const out: AttributeChange[] = [];
  let hidden = 0;
  const special = change.type === "fly_machine" ? machineRows(before, after, marks) : { rows: [], handled: new Set<string>() };
  for (const key of unionKeys(before, after)) {
    if (special.handled.has(key)) continue;
    if (key.endsWith("_wo")) continue; // write-only: never stored, never shown; see the _wo_version row
    const rows: AttributeChange[] = [];
    diff(before[key], after[key], child(marks, key), [key], rows);
    if (rows.length === 0) continue;
    // Without the configuration, only `id` is known to be computed (every resource has one).
    const computed = configured === undefined ? key === "id" : !configured.has(key);
    if (computed && rows.every((r) => r.after === SHOWN.unknown)) {
      hidden += 1;
      continue;
    }
    if (key.endsWith("_wo_version") && rows.length === 1) {
      out.push({ path: key.slice(0, -"_wo_version".length), before: bare(rows[0].before), after: bare(rows[0].after), rotated: true });
      continue;
    }
    out.push(...rows);
  }
  out.push(...special.rows);
  const forcing = (change.change.replace_paths ?? []).map(formatPath);
  const marked = out.map((row) => (forcing.some((p) => row.path === p || row.path.startsWith(`${p}.`) || row.path.startsWith(`${p}[`)) ? { ...row, forces_replacement: true as const } : row));
  return { changes: marked.sort((a, b) => compareRows(a, b, unionKeys(before, after))), hidden_computed: hidden };
}

/** Rows in the resource's attribute order, then by path. */
function compareRows(a: AttributeChange, b: AttributeChange, order: readonly string[]): number {
  const top = (row: AttributeChange) => order.indexOf(/^[^.[]+/.exec(row.path)?.[0] ?? row.path);
  return top(a) - top(b) || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/** A version as the rotation row shows it: a string without its quotes. */
function bare(shown: string): string {
  if (!shown.startsWith('"')) return shown;
  try {
    return String(JSON.parse(shown));
  } catch {
    return shown;
  }
}

// ---------------------------------------------------------------------------------------------
// The generic walk.

interface Marks {
  readonly beforeSensitive: unknown;
  readonly afterSensitive: unknown;
  readonly afterUnknown: unknown;
}

/** The marks of one attribute, map key or list element. */
function child(marks: Marks, step: string | number): Marks {
  const at = (mark: unknown): unknown => (mark === true ? true : Array.isArray(mark) || isObject(mark) ? (mark as Record<string | number, unknown>)[step] : undefined);
  return { beforeSensitive: at(marks.beforeSensitive), afterSensitive: at(marks.afterSensitive), afterUnknown: at(marks.afterUnknown) };
}

function unionKeys(before: object, after: object): string[] {
  const keys = Object.keys(before);
  for (const key of Object.keys(after)) if (!keys.includes(key)) keys.push(key);
  return keys;
}

const isContainer = (value: unknown): value is Record<string, unknown> | unknown[] => Array.isArray(value) || isObject(value);
const absent = (value: unknown): boolean => value === null || value === undefined;

function diff(before: unknown, after: unknown, marks: Marks, path: AttributePath, out: AttributeChange[]): void {
  const where = formatPath(path);
  if (marks.afterUnknown === true) {
    out.push({ path: where, before: shownLeaf(before, marks.beforeSensitive === true), after: SHOWN.unknown });
    return;
  }
  if (marks.beforeSensitive === true || marks.afterSensitive === true) {
    // Compared, never shown.
    if (!sameValue(before, after)) out.push({ path: where, before: absent(before) ? SHOWN.none : SHOWN.sensitive, after: absent(after) ? SHOWN.none : SHOWN.sensitive });
    return;
  }
  if (isContainer(before) || isContainer(after)) {
    if (Array.isArray(before) || Array.isArray(after)) {
      const b = Array.isArray(before) ? before : [];
      const a = Array.isArray(after) ? after : [];
      for (let i = 0; i < Math.max(b.length, a.length); i += 1) diff(b[i], a[i], child(marks, i), [...path, i], out);
      if (!Array.isArray(before) && !absent(before)) out.push({ path: where, before: shownLeaf(before, false), after: "(list)" });
      return;
    }
    const b = isObject(before) ? before : {};
    const a = isObject(after) ? after : {};
    for (const key of unionKeys(b, a)) diff(b[key], a[key], child(marks, key), [...path, key], out);
    return;
  }
  if (absent(before) && absent(after)) return;
  if (sameValue(before, after)) return;
  out.push({ path: where, before: shownLeaf(before, false), after: shownLeaf(after, false) });
}

function shownLeaf(value: unknown, sensitive: boolean): string {
  if (absent(value)) return SHOWN.none;
  if (sensitive) return SHOWN.sensitive;
  if (isContainer(value)) return clip(JSON.stringify(value), VALUE_CHARACTERS);
  return clip(JSON.stringify(value) ?? String(value), VALUE_CHARACTERS);
}

/** Whether a mark structure holds `true` anywhere. */
function marked(mark: unknown): boolean {
  if (mark === true) return true;
  if (Array.isArray(mark)) return mark.some(marked);
  return isObject(mark) && Object.values(mark).some(marked);
}

function sameValue(a: unknown, b: unknown): boolean {
  if (absent(a) && absent(b)) return true;
  if (isContainer(a) || isContainer(b)) return JSON.stringify(a) === JSON.stringify(b);
  return a === b;
}

// ---------------------------------------------------------------------------------------------
// Fly's terms for a machine: the image with its digest, the guest as one size.

function machineRows(before: Record<string, unknown>, after: Record<string, unknown>, marks: Marks): { rows: AttributeChange[]; handled: Set<string> } {
  const rows: AttributeChange[] = [];
  const handled = new Set<string>();
  const image = imageRow(before, after, marks);
  if (image) rows.push(image);
  // image_digest is computed from image: shown with it, never on its own.
  handled.add("image").add("image_digest");
  const guest = guestRow(before.guest, after.guest, child(marks, "guest"));
  if (guest) {
    rows.push(guest);
    handled.add("guest");
  }
  // A blue-green set's names differ in their generation only: shown as that, so the machines of a
  // set share one row.
  const generation = /^(.*)-g([0-9a-f]{7})$/;
  const [b, a] = [generation.exec(String(before.name)), generation.exec(String(after.name))];
  if (b && a && b[1] === a[1] && child(marks, "name").afterUnknown !== true) {
    if (b[2] !== a[2]) rows.push({ path: "name", before: `…-g${b[2]}`, after: `…-g${a[2]} (a new blue-green set)` });
    handled.add("name");
  }
  return { rows, handled };
}

function imageRow(before: Record<string, unknown>, after: Record<string, unknown>, marks: Marks): AttributeChange | undefined {
  const sensitive = (m: Marks) => m.beforeSensitive === true || m.afterSensitive === true;
  if (sensitive(child(marks, "image")) || sensitive(child(marks, "image_digest"))) {
    return sameValue(before.image, after.image) ? undefined : { path: "image", before: SHOWN.sensitive, after: SHOWN.sensitive };
  }
  const digestUnknown = child(marks, "image_digest").afterUnknown === true;
  const imageUnknown = child(marks, "image").afterUnknown === true;
  if (sameValue(before.image, after.image) && !imageUnknown) return undefined;
  const shown = (image: unknown, digest: unknown, unknownDigest: boolean): string => {
    if (typeof image !== "string") return absent(image) ? SHOWN.none : shownLeaf(image, false);
    const ref = parseImage(image);
    const pinned = ref.digest ?? (typeof digest === "string" && digest !== "" ? digest : undefined);
    const name = clip(`${ref.repository}${ref.tag === undefined ? "" : `:${ref.tag}`}`, VALUE_CHARACTERS);
    if (pinned !== undefined) return `${name} @ ${shortDigest(pinned)}`;
    return unknownDigest ? `${name} @ digest known after apply` : name;
  };
  return {
    path: "image",
    before: shown(before.image, before.image_digest, false),
    after: imageUnknown ? SHOWN.unknown : shown(after.image, after.image_digest, digestUnknown),
  };
}

/** `sha256:0123456789ab…`: enough to tell two digests apart in a review. */
function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.includes(":") ? digest.split(":", 2) : ["", digest];
  return `${algorithm === "" ? "" : `${algorithm}:`}${hex.length > 12 ? `${hex.slice(0, 12)}…` : hex}`;
}

function guestRow(before: unknown, after: unknown, marks: Marks): AttributeChange | undefined {
  const one = (value: unknown): Record<string, unknown> | undefined => (Array.isArray(value) && isObject(value[0]) ? value[0] : isObject(value) ? value : undefined);
  const b = one(before);
  const a = one(after);
  if (!b || !a || sameValue(b, a)) return undefined;
  // Unknown or sensitive parts: the generic walk shows which, path by path.
  if (marked(marks.afterUnknown) || marked(marks.beforeSensitive) || marked(marks.afterSensitive)) return undefined;
  return { path: "guest", before: guestSize(b), after: guestSize(a) };
}

/** `shared-cpu-1x, 512 MB`, as Fly names a size; anything else in the block follows. */
function guestSize(guest: Record<string, unknown>): string {
  const { cpu_kind: kind, cpus, memory_mb: memory, ...rest } = guest;
  const size = typeof kind === "string" && typeof cpus === "number" ? `${kind}-cpu-${cpus}x` : `${JSON.stringify(kind ?? null)} × ${JSON.stringify(cpus ?? null)}`;
  const extra = Object.entries(rest).filter(([, v]) => !absent(v)).map(([k, v]) => `${k} ${clip(JSON.stringify(v), 40)}`);
  return [size, typeof memory === "number" ? `${memory} MB` : "memory unset", ...extra].join(", ");
}
