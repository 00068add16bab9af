#!/usr/bin/env -S node --max-semi-space-size=8
// The `cds` command. A committed file rather than dist/cli/main.js itself, so
// the bin exists when pnpm links it at install time, before anything is built.
// The shebang keeps main.js's V8 flag: that file is imported, not executed.
import "../dist/cli/main.js";
