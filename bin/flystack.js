#!/usr/bin/env node
// `npx flystack …`: runs the TypeScript CLI through tsx's CommonJS hook (no build step).
require("tsx/cjs");
require("../cli/main.ts").main();
