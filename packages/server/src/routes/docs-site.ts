/**
 * What a person opening the server's URL in a browser finds: a landing page at
 * `/` linking the docs, the metadata document and the walkthrough; the docs
 * site (packages/docs, built by `pnpm build`) at `/docs/`; and the contract's
 * OpenAPI documents at stable URLs, `/openapi/cds-wg1-01.json` and so on,
 * served from @cds-toolkit/schemas (so they are there even without the docs).
 *
 * The docs are optional: the site is 40 MiB, so the server does not depend on
 * @cds-toolkit/docs. It serves the directory `docsDir` names, or else that
 * package's build if whoever installed the server also installed the docs.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import fastifyStatic from "@fastify/static";
import { openapiDocuments } from "@cds-toolkit/schemas";
import type { FastifyInstance } from "fastify";
import { ProblemError } from "../http/problem.js";
import { paths } from "../urls.js";

export const docsPaths = { landing: "/", docs: "/docs/", openapi: "/openapi/" } as const;

/** `cds-wg1-01` → that specification's OpenAPI document, named by the spec id its title starts with. */
export const openapiBySlug: Record<string, unknown> = Object.fromEntries(
  Object.values(openapiDocuments).map((doc) => [String(doc.info.title).split(" ")[0]!.toLowerCase(), doc]),
);

/** Where the built site is: `docsDir` as configured, else the installed docs package's; null when neither has one. */
export async function locateDocsSite(docsDir: string | null): Promise<{ dir: string | null; missing: string }> {
  if (docsDir) {
    return existsSync(path.join(docsDir, "index.html"))
      ? { dir: docsDir, missing: "" }
      : { dir: null, missing: `The docs site is not built: ${docsDir} has no index.html (CDS_DOCS_DIR, --docs-dir).` };
  }
  const notInstalled = "The docs site is not installed: install and build @cds-toolkit/docs, or set CDS_DOCS_DIR (--docs-dir) to a built site.";
  // A specifier in a variable keeps TypeScript from requiring the package at build time.
  const specifier = "@cds-toolkit/docs";
  let docs: { siteBuilt?: unknown; siteDir?: unknown };
  try {
    docs = (await import(specifier)) as typeof docs;
  } catch {
    return { dir: null, missing: notInstalled };
  }
  if (typeof docs.siteDir !== "string" || typeof docs.siteBuilt !== "function") return { dir: null, missing: notInstalled };
  return docs.siteBuilt() === true
    ? { dir: docs.siteDir, missing: "" }
    : { dir: null, missing: "The docs site is not built: run `pnpm build` (packages/docs)." };
}

export async function registerDocsSiteRoutes(app: FastifyInstance, docsDir: string | null = null): Promise<void> {
  const { dir: siteDir, missing } = await locateDocsSite(docsDir);
  app.get(docsPaths.landing, async (_request, reply) => reply.type("text/html; charset=utf-8").send(landingPage()));

  app.get(`${docsPaths.openapi}:file`, async (request, reply) => {
    const { file } = request.params as { file: string };
    const doc = file.endsWith(".json") ? openapiBySlug[file.slice(0, -".json".length)] : undefined;
    if (!doc) throw new ProblemError(404, `No OpenAPI document ${file}; there are ${Object.keys(openapiBySlug).map((s) => `${s}.json`).join(", ")}`);
    return reply.type("application/json").send(JSON.stringify(doc));
  });

  app.get("/docs", async (_request, reply) => reply.redirect(docsPaths.docs, 301));
  if (siteDir) {
    // The site is static files with hashed asset names; VitePress links pages as `*.html`.
    // Registered in its own scope so that a missing page gets the site's own
    // "not found" page (with its navigation and search) rather than a problem
    // document, when a browser asked for it.
    const notFoundPage = await readFile(path.join(siteDir, "404.html"), "utf8");
    await app.register(async (docs) => {
      await docs.register(fastifyStatic, { root: siteDir, prefix: "/", index: "index.html", redirect: true, wildcard: true });
      docs.setNotFoundHandler(async (request, reply) => {
        const wantsHtml = /\btext\/html\b/.test(request.headers.accept ?? "");
        if ((request.method === "GET" || request.method === "HEAD") && wantsHtml) {
          return reply.code(404).type("text/html; charset=utf-8").send(notFoundPage);
        }
        throw new ProblemError(404, `No docs page at ${request.url.split("?")[0]}`);
      });
    }, { prefix: docsPaths.docs.slice(0, -1) });
  } else {
    app.get(`${docsPaths.docs}*`, async () => {
      throw new ProblemError(503, missing);
    });
  }
}

function landingPage(): string {
  const specs = Object.entries(openapiBySlug)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([slug, doc]) => `<li><a href="${docsPaths.openapi}${slug}.json">${escape(String((doc as { info: { title: string } }).info.title))}</a></li>`)
    .join("\n      ");
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>CDS reference server</title>
  <style>body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:3rem auto;padding:0 1rem}code{font-size:.9em}</style>
</head>
<body>
  <h1>CDS reference server</h1>
  <p>A reference implementation of the LF Energy Connected Data Specifications, running with demo data.</p>
  <ul>
    <li><a href="${docsPaths.docs}">Documentation</a>: API reference, models, guides and errata, generated from the contract</li>
    <li><a href="${docsPaths.docs}guides/client-quickstart.html">Demo walkthrough</a>: discover, register, authorize and read, against this server</li>
    <li><a href="${paths.serverMetadata}">CDS Server Metadata</a> (<code>${paths.serverMetadata}</code>)</li>
    <li><a href="${paths.oauthMetadata}">Authorization Server Metadata</a> (<code>${paths.oauthMetadata}</code>)</li>
  </ul>
  <h2>OpenAPI documents</h2>
  <ul>
      ${specs}
  </ul>
</body>
</html>
`;
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
