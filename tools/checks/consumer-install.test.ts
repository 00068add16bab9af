/**
 * What a consumer gets from npm: every published package, packed as it would
 * be published (`pnpm pack` rewrites `workspace:` ranges), installed with npm
 * into one fresh project, (1) type-checks with default `tsc` settings (no
 * `skipLibCheck`: only `module`/`moduleResolution` `nodenext` and `strict`),
 * and (2) imports on the minimum Node its `engines.node` declares, so every
 * engines claim is proven rather than hoped.
 *
 * The project and npm's cache live under node_modules/.cache (ignored), so a
 * second run reuses the installed third-party packages and only the
 * tarballs are reinstalled. Node 20 is the machine's `node`; Node 22 comes
 * from the `node` npm package installed into the project; Node 24 is the
 * workspace's own (root devDependency `node`).
 */
import { execFile } from "node:child_process";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, expect, it } from "vitest";
import { repoRoot } from "../codegen/contract.ts";

const run = promisify(execFile);

const work = path.join(repoRoot, "node_modules/.cache/consumer-install");
const project = path.join(work, "project");
const tarballs = path.join(work, "tarballs");

/**
 * Where each Node line's runtime comes from; the npm `node` package pins the
 * exact minimum the server declares (22.11 fails: `@fastify/static` `require()`s
 * the ESM-only `content-disposition`, which Node 22 allows from 22.12).
 */
const NODE_22 = "22.12.0";
const runtimes: Record<number, string> = {
  20: "/usr/bin/node",
  22: path.join(project, "node_modules/node/bin/node"),
  24: path.join(repoRoot, "node_modules/node/bin/node"),
};

interface Manifest {
  name: string;
  private?: boolean;
  engines?: { node?: string };
  exports?: Record<string, unknown>;
}

/** Every module a package exports: `.` and each subpath such as `@cds-toolkit/schemas/examples` (not wildcards or package.json). */
function entryPoints(m: Manifest): string[] {
  return Object.entries(m.exports ?? { ".": {} })
    .filter(([subpath, target]) => !subpath.includes("*") && !subpath.endsWith(".json") && (typeof target !== "string" || target.endsWith(".js")))
    .map(([subpath]) => (subpath === "." ? m.name : `${m.name}${subpath.slice(1)}`));
}

const dirs = (await readdir(path.join(repoRoot, "packages"))).sort();
const manifests = await Promise.all(dirs.map(async (d) => ({ dir: d, ...(JSON.parse(await readFile(path.join(repoRoot, "packages", d, "package.json"), "utf8")) as Manifest) })));
const published = manifests.filter((m) => !m.private);

const progress = (line: string) => console.log(`[consumer-install] ${line}`);

/** `>=22.11` → [22, 11, 0]; only the `>=` form is used (and accepted) here. */
function minimumOf(range: string | undefined): [number, number, number] {
  const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range ?? "");
  if (!m) throw new Error(`engines.node must be ">=x[.y[.z]]", got ${JSON.stringify(range)}`);
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

const versionOf = async (node: string) => (await run(node, ["--version"])).stdout.trim().replace(/^v/, "").split(".").map(Number) as [number, number, number];
const atLeast = (v: number[], min: number[]) => v[0]! !== min[0]! ? v[0]! > min[0]! : v[1]! !== min[1]! ? v[1]! > min[1]! : v[2]! >= min[2]!;

beforeAll(async () => {
  const started = Date.now();
  await rm(tarballs, { recursive: true, force: true });
  await mkdir(tarballs, { recursive: true });
  await mkdir(project, { recursive: true });
  // Packing waits mostly on pnpm's start-up and gzip: a few at a time.
  const queue = [...published];
  const packOne = async (): Promise<void> => {
    const m = queue.shift();
    if (!m) return;
    await run("npx", ["--yes", "pnpm@10.34.9", "pack", "--pack-destination", tarballs], { cwd: path.join(repoRoot, "packages", m.dir), maxBuffer: 64 * 1024 * 1024 });
    progress(`packed ${m.name} (${Math.round((Date.now() - started) / 1000)} s)`);
    return packOne();
  };
  await Promise.all([packOne(), packOne(), packOne()]);
  const files = (await readdir(tarballs)).filter((f) => f.endsWith(".tgz"));
  const dependencies: Record<string, string> = {
    typescript: "5.9.3",
    // The server's public API is a Fastify app and takes `process.env`: Node-typed, as any Node project is.
    "@types/node": "~20.19.0",
    node: NODE_22,
  };
  for (const m of published) {
    const file = files.find((f) => f.startsWith(m.name.replace("@", "").replace("/", "-") + "-"));
    if (!file) throw new Error(`no tarball for ${m.name}`);
    dependencies[m.name] = `file:../tarballs/${file}`;
  }
  await writeFile(path.join(project, "package.json"), JSON.stringify({ name: "cds-consumer", private: true, type: "module", dependencies }, null, 2));
  await writeFile(
    path.join(project, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { module: "nodenext", moduleResolution: "nodenext", strict: true }, files: ["consumer.ts"] }, null, 2),
  );
  await writeFile(
    path.join(project, "consumer.ts"),
    published
      .flatMap(entryPoints)
      .map((entry, i) => `import * as p${i} from "${entry}";\nexport const n${i}: number = Object.keys(p${i}).length;\n`)
      .join(""),
  );
  // The tarballs' contents change between runs while their names do not: forget them, keep everything else.
  await rm(path.join(project, "package-lock.json"), { force: true });
  await rm(path.join(project, "node_modules/@cds-toolkit"), { recursive: true, force: true });
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error", "--cache", path.join(work, "npm-cache")], {
    cwd: project,
    maxBuffer: 64 * 1024 * 1024,
  });
  progress(`installed ${files.length} tarballs with npm (${Math.round((Date.now() - started) / 1000)} s)`);
}, 600_000);

it("the packed packages type-check for a consumer with default tsc settings (no skipLibCheck)", async () => {
  const started = Date.now();
  const result = await run(path.join(project, "node_modules/.bin/tsc"), ["-p", ".", "--noEmit"], { cwd: project, maxBuffer: 64 * 1024 * 1024 }).then(
    () => "",
    (error: { stdout?: string }) => error.stdout ?? String(error),
  );
  progress(`tsc --noEmit over ${published.length} packages (${Math.round((Date.now() - started) / 1000)} s)`);
  expect(result, "tsc errors a consumer would see").toBe("");
}, 300_000);

it.each(published.map((m) => [m.name, m] as const))("%s imports on the minimum Node its engines declare", async (_name, m) => {
  const min = minimumOf(m.engines?.node);
  const node = runtimes[min[0]];
  expect(node, `a Node ${min[0]} runtime for this test`).toBeDefined();
  const version = await versionOf(node!);
  // Proven on the declared line itself, at or above the declared minimum.
  expect(version[0]).toBe(min[0]);
  expect(atLeast(version, min), `Node ${version.join(".")} satisfies ${m.engines?.node}`).toBe(true);
  const script = `for (const e of ${JSON.stringify(entryPoints(m))}) console.log(Object.keys(await import(e)).length);`;
  const { stdout, stderr } = await run(node!, ["--input-type=module", "-e", script], { cwd: project });
  progress(`${m.name} on Node ${version.join(".")}: ${stdout.trim().split("\n").join(", ")} exports`);
  // @cds-toolkit/types is declarations only: its module loads and exports no values.
  for (const count of stdout.trim().split("\n")) expect(Number(count)).toBeGreaterThanOrEqual(m.name === "@cds-toolkit/types" ? 0 : 1);
  // A dependency warning about the runtime (oidc-provider's "Unsupported runtime") means the claim is not honest.
  expect(stderr).not.toMatch(/unsupported|engine/i);
}, 120_000);
