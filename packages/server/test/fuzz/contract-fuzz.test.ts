/**
 * Issue 16 item 1, contract fuzzing: every operation of the three generated
 * OpenAPI documents gets seeded, bounded runs of valid requests (from its
 * parameters and request body schema, with credentials from the documented
 * flows) and invalid ones (one field, header, query shape, body or method
 * broken), sent in-process with `app.inject`. Every answer must be on the
 * contract (fuzz/response-oracle.ts): no 5xx, a documented or generic
 * status, a strictly valid body, nothing leaked.
 *
 * `FUZZ_SEED` replays a run (each operation's seed is the base plus its
 * index); `FUZZ_RUNS` changes the runs per operation on PGlite. A failure
 * prints fast-check's seed, path and shrunk request.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { CdsServer } from "../../src/server.ts";
import { describeEachDatabase } from "../helpers/databases.ts";
import { useListeningServer } from "../helpers/servers.ts";
import { operations } from "./contract-operations.ts";
import { startFuzzSession, type FuzzSession } from "./fuzz-session.ts";
import { bodyBytes, requestArbitrary, type FuzzRequest } from "./request-arbitrary.ts";
import { findings } from "./response-oracle.ts";

const baseSeed = Number(process.env.FUZZ_SEED ?? 20_261_207);
/** Runs per operation: ≥ 10,000 requests on PGlite in all, a smaller run on PostgreSQL. */
const runsOn = { PGlite: Number(process.env.FUZZ_RUNS ?? 280), PostgreSQL: Number(process.env.FUZZ_RUNS_POSTGRES ?? 40) };

/** Generous: a 20 MB body on a loaded 2-core machine answers in well under a second. */
const ANSWER_BOUND_MS = 30_000;

const generatedDir = path.resolve(import.meta.dirname, "../../../../generated/openapi");

it("fuzzes every operation of the three generated OpenAPI documents", () => {
  const files = readdirSync(generatedDir).filter((f) => f.endsWith(".openapi.json"));
  expect(files).toHaveLength(3);
  const onDisk = new Set<string>();
  for (const file of files) {
    const doc = JSON.parse(readFileSync(path.join(generatedDir, file), "utf8")) as { paths: Record<string, Record<string, unknown>> };
    for (const [template, item] of Object.entries(doc.paths)) for (const method of Object.keys(item)) if (method !== "parameters") onDisk.add(`${method.toUpperCase()} ${template}`);
  }
  expect(new Set(operations.map((op) => `${op.method} ${op.template}`))).toEqual(onDisk);
});

describeEachDatabase(
  "contract fuzzing",
  (under) => {
    let server: CdsServer;
    let session: FuzzSession;
    useListeningServer(under, (started) => (server = started));
    /** Per operation: answers by status, for all requests and for the valid ones. */
    const tally = new Map<string, { statuses: Map<number, number>; valid: Map<number, number>; total: number }>();

    beforeAll(async () => {
      session = await startFuzzSession(server, under.database.db);
    }, 120_000);

    async function send(request: FuzzRequest) {
      // Counts live in memory: each request starts afresh, so the fuzzer reaches more than the limiter.
      server.resetRateLimits();
      // A request left unanswered is a finding too (a hang), reported with its request rather than as the test's timeout.
      let timer: NodeJS.Timeout | undefined;
      const unanswered = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_BOUND_MS / 1000} s`)), ANSWER_BOUND_MS);
      });
      try {
        const res = await Promise.race([server.app.inject({ method: request.method as "GET", url: request.url, headers: request.headers, ...(request.body ? { payload: bodyBytes(request.body) } : {}) }), unanswered]);
        return { status: res.statusCode, headers: res.headers, body: res.body };
      } finally {
        clearTimeout(timer);
      }
    }

    for (const [index, op] of operations.entries()) {
      it(`${op.method} ${op.template} (${op.id})`, { timeout: 600_000 }, async () => {
        const seed = baseSeed + index;
        const entry = { statuses: new Map<number, number>(), valid: new Map<number, number>(), total: 0 };
        tally.set(`${op.method} ${op.template}`, entry);
        await fc.assert(
          fc.asyncProperty(requestArbitrary(op, session), async (request) => {
            const answer = await send(request);
            entry.total++;
            entry.statuses.set(answer.status, (entry.statuses.get(answer.status) ?? 0) + 1);
            if (request.mutation === "valid") entry.valid.set(answer.status, (entry.valid.get(answer.status) ?? 0) + 1);
            const found = findings(request.method, request.url, answer, session.secrets);
            if (found.length) throw new Error(`${found.join("; ")}\n→ ${answer.status} ${String(answer.headers["content-type"])} ${answer.body.slice(0, 400)}`);
          }),
          { numRuns: runsOn[under.name], seed, endOnFailure: false },
        ).catch((error: unknown) => {
          // fast-check's message has the seed, path and shrunk request; its cause, what the answer broke.
          const cause = error instanceof Error && error.cause instanceof Error ? `\nCause: ${error.cause.message}` : "";
          throw new Error(`[${under.name}] ${op.id}: replay with FUZZ_SEED=${baseSeed} (this operation's seed ${seed})\n${error instanceof Error ? error.message : String(error)}${cause}`);
        });
      });
    }

    it(`sent the planned number of requests`, () => {
      const total = [...tally.values()].reduce((n, e) => n + e.total, 0);
      expect(total).toBeGreaterThanOrEqual(operations.length * runsOn[under.name]);
    });

    afterAll(() => {
      const counts = (m: Map<number, number>) => [...m].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ");
      const lines = [...tally].map(([key, e]) => `${String(e.total).padStart(6)}  ${key.padEnd(64)} ${counts(e.statuses)}  (valid: ${counts(e.valid)})`);
      const total = [...tally.values()].reduce((n, e) => n + e.total, 0);
      console.log(`contract fuzzing [${under.name}], seed ${baseSeed}: ${total} requests\n${lines.join("\n")}`);
    });
  },
  { scenario: true },
);
