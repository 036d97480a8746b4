#!/usr/bin/env node
// `node bin/flystack.js …`: the TypeScript CLI through tsx's CommonJS hook, always from the sources
// (tests, working on the CLI). `bin/flystack` is the fast path: the build in dist/ while it is current.
require("tsx/cjs");
require("../cli/main.ts").main();
