// eslint-plugin-flexguard: the package name `.eslintrc` resolves `plugin:flexguard/…` and
// `plugins: ["flexguard"]` to. The rules are flexguard/eslint's; `recommended` is shaped for
// `.eslintrc` (plugins as names) and `flat/recommended` for eslint.config.js.
"use strict";
const base = require("flexguard/eslint");

const plugin = {
  meta: { ...base.meta, name: "eslint-plugin-flexguard" },
  rules: base.rules,
  configs: {},
};
plugin.configs.recommended = base.configs["recommended-legacy"];
// This object, not flexguard/eslint's: a flat config may name both, and ESLint refuses two
// different plugin objects under one name.
plugin.configs["flat/recommended"] = { ...base.configs.recommended, plugins: { flexguard: plugin } };

module.exports = plugin;
