/** What type-checking the environment files finds: shared by typecheck.ts and its cache (typecheck-cache.ts). */

/** One problem TypeScript reports. */
export interface TypeProblem {
  /** Path relative to the checked folder, with `/` (`production.ts`, `_presets.ts`); empty for a problem of no file. */
  readonly file: string;
  /** 1-based; 0 when the problem has no position. */
  readonly line: number;
  readonly column: number;
  /** tsc's error code, e.g. 2322 (printed as TS2322). */
  readonly code: number;
  /** tsc's message, flattened to one line. */
  readonly message: string;
}

export interface TypecheckResult {
  /** Every problem, by file then position. */
  readonly problems: readonly TypeProblem[];
  /** Environment files (of `files`) that have a problem or import a file that has one: not to be loaded. */
  readonly blocked: readonly string[];
  /** Absolute paths of every file the program read, except TypeScript's own libraries. */
  readonly inputs: readonly string[];
}
