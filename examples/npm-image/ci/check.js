// The image's test suite (run by ci/test.sh): for each pin of npm-pins.json,
// load the package from the candidate's node_modules and check that it is the
// pinned version and that its `ok` export is true. Exit 1 naming every
// failing check.
//   node check.js NPM-PINS.json WORK-DIR
"use strict";
const fs = require("fs");
const path = require("path");

const [pinsFile, workDir] = process.argv.slice(2);
const pins = JSON.parse(fs.readFileSync(pinsFile, "utf8"));
const modules = path.resolve(workDir, "node_modules");
const failures = [];
for (const [name, version] of Object.entries(pins).sort()) {
  let exported;
  try {
    exported = require(path.join(modules, name));
  } catch (e) {
    failures.push(`${name}@${version}: cannot be loaded (${e.code || e.message})`);
    continue;
  }
  if (exported.version !== version) {
    failures.push(`${name}@${version}: installed version is ${exported.version}`);
  } else if (exported.ok !== true) {
    failures.push(`${name}@${version}: check 'ok' failed (ok is ${JSON.stringify(exported.ok)})`);
  } else {
    console.log(`ok   ${name}@${version}`);
  }
}
for (const f of failures) console.log(`FAIL ${f}`);
console.log(`${Object.keys(pins).length - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
