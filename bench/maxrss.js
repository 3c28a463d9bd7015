// Preloaded into the CLI by bench/run.js (`node --require`): writes the process's peak RSS (KiB)
// to $FLEXGUARD_BENCH_RSS at exit, so the CLI is measured as the whole process it is.
"use strict";
process.on("exit", () => require("fs").writeFileSync(process.env.FLEXGUARD_BENCH_RSS, String(process.resourceUsage().maxRSS)));
