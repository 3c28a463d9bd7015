// Build the playground into playground/dist/: html, css, two esbuild bundles (page, worker) and
// the web-target wasm glue + wasm. Every URL is relative, so dist/ is servable from any path prefix.
// (The package's own browser entry, dist/web.mjs, is built by ../build-web.mjs.)
import * as esbuild from "esbuild";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const npmDir = path.join(here, "..");
const out = path.join(here, "dist");

const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", logLevel: "warning", legalComments: "none" };

export async function buildPlayground() {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(path.join(out, "wasm"), { recursive: true });
  await esbuild.build({
    ...common,
    minify: true,
    entryPoints: { playground: path.join(here, "src", "main.ts"), worker: path.join(here, "src", "worker.ts") },
    outdir: out,
  });
  fs.copyFileSync(path.join(here, "index.html"), path.join(out, "index.html"));
  fs.copyFileSync(path.join(here, "style.css"), path.join(out, "playground.css"));
  fs.copyFileSync(path.join(here, "favicon.svg"), path.join(out, "favicon.svg"));
  for (const file of ["flexguard.js", "flexguard_bg.wasm"]) {
    fs.copyFileSync(path.join(npmDir, "wasm", "web", file), path.join(out, "wasm", file));
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.length > 2) {
    console.error("build: no arguments (the package's dist/web.mjs is built by `node build-web.mjs`)");
    process.exit(2);
  }
  await buildPlayground();
  console.error(`build: ${path.relative(process.cwd(), out)}`);
}
