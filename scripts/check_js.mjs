// The lint of the site's own scripts (npm run lint): each parses, and the field app writes no words
// of its own (they come from the page's catalogue, translated like every other string).
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const STATIC = new URL("../static/", import.meta.url).pathname;
const CJK = /[\u3400-\u9fff\uff00-\uffef]/;
let failed = 0;

function scripts(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "vendor" ? [] : scripts(path);
    return entry.name.endsWith(".js") ? [path] : [];
  });
}

/* the code with its comments blanked (strings kept): a simple scanner, enough for these files */
function withoutComments(source) {
  let out = "", quote = null;
  for (let i = 0; i < source.length; i++) {
    const c = source[i], n = source[i + 1];
    if (quote) {
      out += c;
      if (c === "\\") { out += n; i++; } else if (c === quote) quote = null;
    } else if (c === '"' || c === "'" || c === "`") { quote = c; out += c; }
    else if (c === "/" && n === "/") { while (i < source.length && source[i] !== "\n") i++; out += "\n"; }
    else if (c === "/" && n === "*") { const end = source.indexOf("*/", i + 2); i = end < 0 ? source.length : end + 1; }
    else out += c;
  }
  return out;
}

for (const file of scripts(STATIC)) {
  try {
    execFileSync(process.execPath, ["--check", file], { stdio: "pipe" });
  } catch (error) {
    failed++;
    console.error(String(error.stderr));
  }
  if (file.includes("/field/")) {
    withoutComments(readFileSync(file, "utf8")).split("\n").forEach((line, n) => {
      if (CJK.test(line)) {
        failed++;
        console.error(`${file}:${n + 1}: words written in the code, not taken from the catalogue: ${line.trim()}`);
      }
    });
  }
}
if (failed) process.exit(1);
console.log("scripts: ok");
