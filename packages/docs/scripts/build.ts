/**
 * Builds the docs site into dist/: generates the reference, model and errata
 * pages from the contract into .site/ (beside the hand-written pages/ and the
 * VitePress config), renders each OpenAPI document with Redoc (its script
 * inlined: nothing is loaded from a CDN), then runs VitePress.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { promisify } from "node:util";
import { build } from "vitepress";
import { repoRoot } from "../../../tools/codegen/contract.ts";
import { operationsOf, readContract } from "./contract.ts";
import { changesPage } from "./changes-page.ts";
import { coveragePage } from "./coverage-page.ts";
import { loadScenarios, readCatalogues } from "../../../tools/musts/coverage.ts";
import { errataPage } from "./errata-page.ts";
import { demoUsageDays } from "./demo-usage.ts";
import { frontMatter } from "./markdown.ts";
import { modelPages, modelSpec } from "./model-pages.ts";
import { documentWithExamples, referencePages, type Page } from "./reference-pages.ts";
import { sidebar } from "./sidebar.ts";

const packageDir = path.resolve(import.meta.dirname, "..");
const siteDir = path.join(packageDir, ".site");
const distDir = path.join(packageDir, "dist");
const started = performance.now();

await rm(siteDir, { recursive: true, force: true });
await cp(path.join(packageDir, "pages"), siteDir, { recursive: true });
await cp(path.join(packageDir, "site-config"), path.join(siteDir, ".vitepress"), { recursive: true });

const contract = await readContract();
const { scenarios, source: scenarioSource } = await loadScenarios();
// The docs package depends on @cds-toolkit/conformance, so turbo builds it first; a missing scenario list
// here means a broken build order, and a coverage page silently showing 0 % would mislead readers.
if (!scenarioSource || scenarios.length === 0) throw new Error("docs build: packages/conformance/dist/index.js has no scenarios; build @cds-toolkit/conformance first");
const pages: Page[] = [
  ...referencePages(contract),
  ...modelPages(contract),
  errataPage(await readFile(path.join(repoRoot, "spec/ERRATA.md"), "utf8")),
  modelIndex(),
  await changesPage(repoRoot),
  coveragePage(await readCatalogues(), scenarios, scenarioSource),
];
for (const page of pages) {
  const file = path.join(siteDir, page.path);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, page.content);
}
await writeFile(path.join(siteDir, ".vitepress/sidebar.json"), JSON.stringify(sidebar(contract), null, 2));
// What the browser tests count pages against. (public/ is created here: git keeps no empty folder.)
await mkdir(path.join(siteDir, "public"), { recursive: true });
await writeFile(
  path.join(siteDir, "public/contract-pages.json"),
  JSON.stringify({
    operations: contract.specs.flatMap((s) => operationsOf(s).map((op) => `reference/${s.slug}/${op.operationId}`)),
    models: contract.models.map((m) => `models/${m.name}`),
  }),
);

// The days of the reference server's demo data that the interval-data page plots.
await mkdir(path.join(siteDir, "public/demo"), { recursive: true });
const demoDays = demoUsageDays();
await writeFile(path.join(siteDir, "public/demo/usage-segment.json"), JSON.stringify(demoDays.gap, null, 2));
await writeFile(path.join(siteDir, "public/demo/usage-segment-estimated.json"), JSON.stringify(demoDays.estimated, null, 2));

// The OpenAPI documents as generated, and a Redoc rendering of each with the examples attached.
const redoc = path.join(path.dirname(createRequire(import.meta.url).resolve("@redocly/cli/package.json")), "bin/cli.js");
await mkdir(path.join(siteDir, "public/openapi"), { recursive: true });
await mkdir(path.join(siteDir, "public/redoc"), { recursive: true });
const tmp = path.join(siteDir, ".redoc-input");
await mkdir(tmp, { recursive: true });
await Promise.all(
  contract.specs.map(async (spec) => {
    await writeFile(path.join(siteDir, `public/openapi/${spec.slug}.json`), JSON.stringify(spec.document, null, 2));
    const input = path.join(tmp, `${spec.slug}.json`);
    await writeFile(input, JSON.stringify(documentWithExamples(contract, spec)));
    await promisify(execFile)(process.execPath, [redoc, "build-docs", input, "--inlineBundle", "--title", spec.title, "-o", path.join(siteDir, `public/redoc/${spec.slug}.html`)], {
      cwd: repoRoot,
      // Telemetry off: the CLI would otherwise report the run, and the page would report views.
      env: { ...process.env, REDOCLY_TELEMETRY: "off", REDOCLY_SUPPRESS_UPDATE_NOTICE: "true" },
    });
  }),
);
await rm(tmp, { recursive: true });
for (const spec of contract.specs) {
  const file = path.join(siteDir, `public/redoc/${spec.slug}.html`);
  await writeFile(file, withLocalRedocLogo(await readFile(file, "utf8")));
}

const generated = performance.now();
await rm(distDir, { recursive: true, force: true });
await build(siteDir, { outDir: distDir });
console.log(
  `docs: ${pages.length} generated pages in ${((generated - started) / 1000).toFixed(1)} s, site built in ${((performance.now() - generated) / 1000).toFixed(1)} s`,
);

/**
 * Redoc's "API docs by Redocly" attribution loads its logo from Redocly's CDN,
 * whatever the options; the page must load nothing from elsewhere, so the
 * logo becomes an inline SVG of the name (the link to Redoc stays).
 */
function withLocalRedocLogo(html: string): string {
  const logo = `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" width="56" height="16"><text x="0" y="13" font-family="sans-serif" font-size="13" fill="#888">Redoc</text></svg>')}`;
  const replaced = html.replace(/https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(-full)?\.svg/g, logo);
  // (The bundle also names icon sets on Redocly's CDN, fetched only for documents that use icons; ours use none,
  // and the browser tests fail on any request that leaves the server.)
  if (replaced.includes("cdn.redoc.ly")) throw new Error("the Redoc page still loads its logo from a CDN; see withLocalRedocLogo");
  return replaced;
}

function modelIndex(): Page {
  const rows = contract.models.map((m) => `| [${m.name}](./${m.name}.md) | ${modelSpec(contract, m)} |`);
  return {
    path: "models/index.md",
    content: `${frontMatter({ title: "Models" })}\n# Models\n\nEvery model of the contract (\`generated/json-schema\`), ${contract.models.length} in all.\n\n| Model | Specification |\n|---|---|\n${rows.join("\n")}\n`,
  };
}
