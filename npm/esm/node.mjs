// ESM entry: the CommonJS build re-exported, so `import` and `require` share one engine.
import cjs from "../dist/node.js";
export const { Flexguard, flexguard, lint, lintFile, rules, expandPaths, displayPath, formatters, internalError, summarize, applyBaseline, SOURCE_EXTENSIONS } = cjs;
export default cjs;
