// ESM entry of `flexguard/webpack`: the CommonJS build re-exported (one engine for both).
import cjs from "../dist/webpack.js";
export const { FlexguardWebpackPlugin, definedEnv } = cjs;
export default cjs;
