#!/usr/bin/env node
// The `cds-conformance` command. A committed file rather than dist/cli.js itself, so
// the bin exists when pnpm links it at install time, before anything is built.
import "../dist/cli.js";
