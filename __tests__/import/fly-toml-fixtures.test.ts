/**
 * Every fly.toml shape (./fly-toml-shapes.ts) imports with only the flags it truly needs, becomes
 * exactly the app expected, reports exactly the keys expected, and leaves no key unaccounted for: the
 * key walk visits every leaf key of every fixture and finds it carried into the entry (and where) or
 * in the report (and why). Without its flags, each fixture's refusal names exactly the flags it lacks.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { leafPaths, parseFlyToml } from "../../src/features/import/fly-toml/parse";
import { FlyTomlImportError, translateFlyToml } from "../../src/features/import/fly-toml/translate";
import { accountedFor, UNREAD_REASON } from "../../src/features/import/fly-toml/ledger";
import { SHAPES } from "./fly-toml-shapes";

const FIXTURES = path.join(__dirname, "..", "fixtures", "fly-toml");
const parse = (fixture: string) => parseFlyToml(fs.readFileSync(path.join(FIXTURES, `${fixture}.fly.toml`), "utf8"), `${fixture}.fly.toml`);
const readLocal = (file: string) => fs.readFileSync(path.join(FIXTURES, file));

describe.each(SHAPES)("$shape $fixture: $description", ({ fixture, flags, app, reported }) => {
  const parsed = parse(fixture);
  const translation = translateFlyToml(parsed, { ...flags, readLocal });

  test("becomes exactly the app expected, reporting exactly the keys expected", () => {
    expect(translation.app).toEqual(app);
    expect(translation.report.map((n) => n.path)).toEqual(reported);
    for (const note of translation.report) expect(note.instead.length).toBeGreaterThan(5);
  });

  test("key walk: every leaf key is carried (and where) or reported (and why); none is left unread", () => {
    const leaves = leafPaths(parsed.toml);
    expect(leaves.length).toBeGreaterThan(0);
    const unaccounted = leaves.filter((p) => !accountedFor(p, translation.carried, translation.report));
    expect(unaccounted).toEqual([]);
    expect(translation.report.filter((n) => n.reason === UNREAD_REASON).map((n) => n.path)).toEqual([]);
    for (const carried of translation.carried) expect(carried.to.length).toBeGreaterThan(0);
  });

  test("without its flags, the refusal names exactly what the file lacks", () => {
    const needs = [flags.name ? "app" : undefined, flags.region ? "primary_region" : undefined, flags.image ? "build.image" : undefined].filter(Boolean);
    if (needs.length === 0) return expect(() => translateFlyToml(parsed, { readLocal })).not.toThrow();
    let problems: string[] = [];
    try {
      translateFlyToml(parsed, { readLocal });
    } catch (error) {
      if (!(error instanceof FlyTomlImportError)) throw error;
      problems = error.problems.map((p) => p.path);
    }
    expect(problems).toEqual(needs);
  });
});

test("the shapes cover the catalogue: S01–S21 but the GPU one (S18, refused), each fixture once", () => {
  expect(new Set(SHAPES.map((s) => s.fixture)).size).toBe(SHAPES.length);
  const shapes = new Set(SHAPES.map((s) => s.shape));
  const missing = Array.from({ length: 21 }, (_, i) => `S${String(i + 1).padStart(2, "0")}`).filter((s) => !shapes.has(s));
  expect(missing).toEqual(["S18"]);
  const files = fs.readdirSync(FIXTURES).filter((f) => f.endsWith(".fly.toml")).map((f) => f.replace(/\.fly\.toml$/, ""));
  expect(files.filter((f) => !SHAPES.some((s) => s.fixture === f))).toEqual(["gpu-dotted-vm"]);
});

test("S18, a GPU app (its [vm] a top-level dotted key): refused, naming the size, as flystack's guests have no GPUs", () => {
  expect(() => translateFlyToml(parse("gpu-dotted-vm"), {})).toThrow(FlyTomlImportError);
  try {
    translateFlyToml(parse("gpu-dotted-vm"), {});
  } catch (error) {
    expect((error as FlyTomlImportError).problems.map((p) => `${p.path}: ${p.reason}`)).toEqual(["vm[0].size: flystack's guests have no GPUs (provider ampbase-io/fly 0.2 cannot ask for one)"]);
  }
});
