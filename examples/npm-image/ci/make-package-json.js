// Writes a package.json whose dependencies are exactly the pins of
// npm-pins.json ({"name": "version"}), each at its exact version.
//   node make-package-json.js NPM-PINS.json OUT/package.json
"use strict";
const fs = require("fs");

const [pinsFile, outFile] = process.argv.slice(2);
const pins = JSON.parse(fs.readFileSync(pinsFile, "utf8"));
if (pins === null || typeof pins !== "object" || Array.isArray(pins)) {
  throw new Error(`${pinsFile}: expected an object {"name": "version"}`);
}
const dependencies = {};
for (const [name, version] of Object.entries(pins)) {
  if (typeof version !== "string" || version === "") {
    throw new Error(`${pinsFile}: ${name}: version must be a non-empty string`);
  }
  dependencies[name] = version;
}
const manifest = { name: "npm-image", version: "0.0.0", private: true, dependencies };
fs.writeFileSync(outFile, JSON.stringify(manifest, null, 2) + "\n");
