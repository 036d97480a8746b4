/**
 * The account of one import, key by key: each fly.toml key is carried into the entry (and where), or
 * reported (why, and what to do), or a problem the user must settle before anything is written. At
 * the end every leaf key of the file must be accounted for; one that is not is reported too, so no
 * key is ever dropped in silence (translate.ts; the key-walk test holds the translator to it).
 */
import { isDocumented, leafPaths } from "./parse";

/** One fly.toml key the entry does not carry as it was: where, why, and what to do instead. */
export interface ImportNote {
  /** Key path in fly.toml (`http_service.force_https`), or `(machines)`/`(secrets)` for what fly.toml does not hold. */
  readonly path: string;
  readonly reason: string;
  readonly instead: string;
}

/** A fly.toml key carried into the entry: where it went (`groups.web.services[0].internalPort`). */
export interface CarriedKey {
  readonly path: string;
  readonly to: string;
  /** The whole table or list at `path` is carried (env, [build] image's siblings aside). @default only the key itself */
  readonly whole?: boolean;
}

/** The reason given for a documented key no part of the translator read: a bug, said as one. */
export const UNREAD_REASON = "flystack did not read this key (a gap in flystack's import; please report it)";

/** Whether a leaf key at `path` is carried (exactly, or under a table carried whole) or under a note. */
export function accountedFor(path: string, carried: readonly CarriedKey[], notes: readonly ImportNote[]): boolean {
  const under = (p: string) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`);
  return carried.some((c) => (c.whole ? under(c.path) : c.path === path)) || notes.some((n) => under(n.path));
}

export class Ledger {
  readonly carried: CarriedKey[] = [];
  readonly notes: ImportNote[] = [];
  readonly problems: ImportNote[] = [];

  /** The key at `path` is carried into the entry at `to` (with everything under it, when `whole`). */
  carry(path: string, to: string, whole = false): void {
    if (!this.carried.some((c) => c.path === path && c.to === to)) this.carried.push({ path, to, ...(whole ? { whole } : {}) });
  }

  /** A key (or table) the entry does not carry as it was. Said once, however many groups it concerns. */
  note(path: string, reason: string, instead: string): void {
    if (!this.notes.some((n) => n.path === path && n.reason === reason)) this.notes.push({ path, reason, instead });
  }

  problem(path: string, reason: string, instead: string): void {
    if (!this.problems.some((p) => p.path === path && p.reason === reason)) this.problems.push({ path, reason, instead });
  }

  /** Whether `path` is accounted for: it was carried, or a table above it was carried whole, noted or a problem. */
  accounts(path: string): boolean {
    return accountedFor(path, this.carried, [...this.notes, ...this.problems]);
  }

  /**
   * Reports every leaf key of `toml` nothing accounted for: as a key fly.toml's reference does not
   * document (a typo, or a key Fly dropped), or as a documented key flystack failed to read.
   */
  reportUnaccounted(toml: unknown): void {
    for (const path of leafPaths(toml)) {
      if (this.accounts(path)) continue;
      if (isDocumented(path)) this.note(path, UNREAD_REASON, "check the written entry for it by hand");
      else this.note(path, "is not a key of fly.toml's documented reference (flyctl ignores it too)", "check its spelling; nothing was written for it");
    }
  }
}
