// The package's browser entry, `flexguard/web`: esbuild bundles src/web.ts into dist/web.mjs (its
// declarations come from tsconfig.web.json). `npm run build:web` runs both; `npm run build` too.
import * as esbuild from "esbuild";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

await esbuild.build({
  entryPoints: [path.join(here, "src", "web.ts")],
  outfile: path.join(here, "dist", "web.mjs"),
  bundle: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
  legalComments: "none",
});
console.error("build-web: dist/web.mjs");
