// Preloaded by the deadline tests (node --expose-gc -r …/force-gc.cjs bin/flystack …): a full garbage
// collection every 100 ms from start-up, so every request in flight lives through several. The bug it
// guards against: a timeout signal that a collection takes away never fires.
"use strict";
if (typeof global.gc !== "function") throw new Error("force-gc.cjs needs node --expose-gc");
setInterval(() => global.gc(), 100).unref();
