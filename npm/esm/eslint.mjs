// ESM entry of `flexguard/eslint` (`import flexguard from "flexguard/eslint"` in eslint.config.mjs):
// the CommonJS build re-exported, so both module systems share one plugin object and one engine.
import plugin from "../dist/eslint.js";
export default plugin;
