#!/usr/bin/env node
// The `cds-server` command. A committed file rather than dist/cli.js itself:
// pnpm links workspace bins at install time, before anything is built, and a
// bin pointing into dist/ made every clean install warn "Failed to create bin".
import "../dist/cli.js";
