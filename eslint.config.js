// ESLint for the browser's code of Linju (static/) and its node --test tests: `npm run lint`.
"use strict";
const js = require("@eslint/js");

const browser = { window: "readonly", document: "readonly", self: "readonly", navigator: "readonly" };
const node = {
  module: "writable", require: "readonly", process: "readonly", structuredClone: "readonly", Blob: "readonly",
};

module.exports = [
  js.configs.recommended,
  {
    files: ["static/insights/**/*.js", "linju/**/*.test.js", "eslint.config.js"],
    languageOptions: { ecmaVersion: 2022, sourceType: "script", globals: { ...browser, ...node } },
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_" }] }
  },
  {
    // the field app: a page, a service worker and modules shared with node --test
    files: ["static/field/**/*.js"],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: "script",
      globals: {
        ...browser,
        ...node,
        importScripts: "readonly",
        caches: "readonly",
        clients: "readonly",
        fetch: "readonly",
        URL: "readonly",
        URLSearchParams: "readonly",
        Request: "readonly",
        Response: "readonly",
        Headers: "readonly",
        FormData: "readonly",
        Blob: "readonly",
        FileReader: "readonly",
        indexedDB: "readonly",
        IDBKeyRange: "readonly",
        localStorage: "readonly",
        sessionStorage: "readonly",
        location: "readonly",
        crypto: "readonly",
        setTimeout: "readonly",
        clearTimeout: "readonly",
        setInterval: "readonly",
        clearInterval: "readonly",
        console: "readonly",
        Intl: "readonly",
        Event: "readonly",
        createImageBitmap: "readonly",
        AbortController: "readonly",
        globalThis: "readonly",
        idb: "readonly",
        LinjuQueue: "writable",
        LinjuFieldForm: "writable",
        // Django's JavaScript catalogue (the page loads it before the app)
        gettext: "readonly",
        ngettext: "readonly",
        interpolate: "readonly"
      }
    },
    rules: { "no-unused-vars": ["error", { argsIgnorePattern: "^_", caughtErrors: "none" }] }
  }
];
