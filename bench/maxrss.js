// Preloaded into the CLI by bench/run.js (`node --require`): writes the process's peak RSS (KiB)
// and CPU time (ms, all threads) to $FLEXGUARD_BENCH_RSS at exit, so the CLI is measured as the
// whole process it is.
"use strict";
process.on("exit", () => {
  const usage = process.resourceUsage();
  const cpuMs = (usage.userCPUTime + usage.systemCPUTime) / 1000;
  require("fs").writeFileSync(process.env.FLEXGUARD_BENCH_RSS, JSON.stringify({ maxRssKiB: usage.maxRSS, cpuMs }));
});
