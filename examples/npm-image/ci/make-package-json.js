// Writes a package.json whose dependencies are exactly the pins of
// npm-pins.json ({"name": "version"}), each at its exact version, and whose
// "overrides" are npm-overrides.json's when the candidate folder has it, so
// that nested copies are the pinned versions too (the whole closure).
//   node make-package-json.js NPM-PINS.json OUT/package.json
"use strict";
const fs = require("fs");
const path = require("path");

function readVersions(file, object, what) {
  if (object === null || typeof object !== "object" || Array.isArray(object)) {
    throw new Error(`${file}: expected ${what}`);
  }
  const out = {};
  for (const [name, version] of Object.entries(object)) {
    if (typeof version !== "string" || version === "") {
      throw new Error(`${file}: ${name}: version must be a non-empty string`);
    }
    out[name] = version;
  }
  return out;
}

const [pinsFile, outFile] = process.argv.slice(2);
const dependencies = readVersions(
  pinsFile, JSON.parse(fs.readFileSync(pinsFile, "utf8")), 'an object {"name": "version"}');
const manifest = { name: "npm-image", version: "0.0.0", private: true, dependencies };
const overridesFile = path.join(path.dirname(pinsFile), "npm-overrides.json");
if (fs.existsSync(overridesFile)) {
  const document = JSON.parse(fs.readFileSync(overridesFile, "utf8"));
  manifest.overrides = readVersions(
    overridesFile, document && document.overrides, '{"overrides": {"name": "version"}}');
}
fs.writeFileSync(outFile, JSON.stringify(manifest, null, 2) + "\n");
