// ESM entry: the CommonJS build re-exported, so `import` and `require` share one engine.
import cjs from "../dist/node.js";
export const { Flexguard, flexguard, lint, lintFile, lintFiles, rules, expandPaths, displayPath, readSourceMap, formatters, internalError, summarize, SOURCE_EXTENSIONS } = cjs;
export default cjs;
