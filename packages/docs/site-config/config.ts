import { readFileSync } from "node:fs";
import { defineConfig, type Plugin } from "vitepress";

const sidebar = JSON.parse(readFileSync(new URL("./sidebar.json", import.meta.url), "utf8"));

/**
 * The precompiled validators are Node ESM that reach Ajv's runtime helpers
 * through `createRequire` (Ajv standalone emits `require` calls). In the
 * browser bundle those become static imports of the same modules.
 */
function validatorsInBrowser(): Plugin {
  return {
    name: "cds-validators-in-browser",
    transform(code, id) {
      if (!/validators\/dist\/generated\/(strict|lenient)\.js$/.test(id)) return null;
      const modules = [...new Set([...code.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]!))];
      const imports = modules.map((m, i) => `import * as __cds_m${i} from ${JSON.stringify(m)};`).join("\n");
      const table = modules.map((m, i) => `${JSON.stringify(m)}: __cds_m${i}`).join(", ");
      return code.replace(
        /import \{ createRequire \} from "node:module";\s*const require = createRequire\(import\.meta\.url\);/,
        `${imports}\nconst __cds_modules = { ${table} };\nconst require = (id) => __cds_modules[id];`,
      );
    },
  };
}

export default defineConfig({
  base: "/docs/",
  title: "CDS toolkit",
  description: "Reference, models and guides for the LF Energy Connected Data Specifications, generated from the TypeSpec contract",
  lang: "en",
  // Everything the pages need ships with them: no web fonts or scripts from elsewhere.
  head: [],
  lastUpdated: false,
  themeConfig: {
    nav: [
      { text: "Guides", link: "/guides/client-quickstart" },
      { text: "Reference", link: "/reference/cds-wg3-01/" },
      { text: "Models", link: "/models/" },
      { text: "Errata", link: "/errata" },
      { text: "Changes", link: "/changes" },
    ],
    sidebar,
    outline: { level: [2, 3] },
    // Full-text search built into the site at build time (MiniSearch, in the
    // browser): no search service, nothing fetched from elsewhere.
    search: { provider: "local" },
  },
  vite: {
    plugins: [validatorsInBrowser()],
    // The validators run only in the browser (on a click); the server render never loads them.
    ssr: { external: ["@cds-toolkit/validators"] },
    build: { chunkSizeWarningLimit: 6000 },
  },
});
