// ESLint for the browser's code of Linju (static/) and its node --test tests: `npm run lint`.
"use strict";
const js = require("@eslint/js");

const browser = { window: "readonly", document: "readonly", self: "readonly", navigator: "readonly" };
const node = { module: "writable", require: "readonly", process: "readonly" };

module.exports = [
  js.configs.recommended,
  {
    files: ["static/insights/**/*.js", "linju/**/*.test.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...browser, ...node } },
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] }
  }
];
