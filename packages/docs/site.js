// Where the built site is, for the reference server that serves it at /docs/.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built site (VitePress output, base `/docs/`). */
export const siteDir = fileURLToPath(new URL("./dist/", import.meta.url));

/** Whether `pnpm build` has built the site. */
export function siteBuilt() {
  return existsSync(new URL("./dist/index.html", import.meta.url));
}
