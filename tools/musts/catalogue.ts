/**
 * Turns the statements found in a spec document into catalogue entries:
 * a stable id, a hash of the statement (so a changed statement is noticed
 * without keeping its text), and our own summary and verdict, taken from the
 * hand-written summaries file or, for statements that follow one of the
 * specs' fixed sentence shapes, from a rule (rules.ts).
 */
import { createHash } from "node:crypto";
import type { MustSource } from "./specs.ts";
import { normalise, type Keyword, type Statement } from "./statements.ts";
import { summariseByRule } from "./rules.ts";

/** Why a statement cannot be checked by talking to a Server over HTTP. */
export const REASONS = {
  client: "Obliges the Client; nothing a Server does shows whether it holds.",
  operator: "An operational duty of whoever runs the Server (reviewing, keeping, deciding); not visible in an HTTP exchange.",
  spec: "Binds authors of specifications that extend CDS, not Servers.",
  ui: "About what the customer-facing form says or how it looks; judged by a person, not by a protocol check.",
  time: "Holds over a span (years, a domain's lifetime) no test run can observe.",
  deployment: "Only applies to a Server deployed a particular way (moved, restricted, multi-entity) that a test cannot arrange from outside.",
  offline: "Follows a step taken outside the API (a payment, an e-mail, a form, a person's review or decision) that a test cannot take.",
  internal: "Concerns the Server's back-end data or internal state, which a Client cannot see.",
} as const;
export type Verdict = "server" | keyof typeof REASONS;

export interface MustEntry {
  /** `<spec short>-<section>-<ordinal within section>`, e.g. "WG1-01-4.2-1". */
  id: string;
  spec: string;
  section: string;
  heading: string;
  keyword: Keyword;
  /** Our one-line summary; never the spec's wording. */
  summary: string;
  serverTestable: boolean;
  reason?: string;
  /** First 12 hex digits of SHA-256 over the statement text (whitespace collapsed). */
  hash: string;
  /** Where the summary came from: our summaries file, or the named sentence-shape rule. */
  summaryBy: "hand" | `rule:${string}` | "pending";
  line: number;
}

export interface Catalogue {
  spec: string;
  revision: string;
  document: string;
  keywords: Keyword[];
  entries: MustEntry[];
}

/** One line of tools/musts/summaries/<slug>.txt. */
export interface AuthoredSummary {
  id: string;
  hash: string;
  verdict: Verdict;
  summary: string;
  reason?: string;
}

export function statementHash(text: string): string {
  return createHash("sha256").update(normalise(text)).digest("hex").slice(0, 12);
}

/** Ids in document order: the ordinal counts statements within their section. */
export function assignIds(short: string, statements: Statement[]): Array<Statement & { id: string; hash: string }> {
  const ordinals = new Map<string, number>();
  return statements.map((s) => {
    const n = (ordinals.get(s.section) ?? 0) + 1;
    ordinals.set(s.section, n);
    return { ...s, id: `${short}-${s.section}-${n}`, hash: statementHash(s.text) };
  });
}

const AUTHORED_LINE = /^(\S+)\s+([0-9a-f]{12})\s+(\S+)\s+(.+?)(?:\s+\|\|\s+(.+))?$/;

/**
 * Parses a summaries file: `<id> <hash> <verdict> <summary>[ || <reason>]`
 * per line; `#` starts a comment line.
 */
export function parseAuthored(text: string, file = "summaries"): Map<string, AuthoredSummary> {
  const out = new Map<string, AuthoredSummary>();
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const m = AUTHORED_LINE.exec(line);
    if (!m) throw new Error(`${file}:${index + 1}: expected "<id> <12-hex hash> <verdict> <summary>[ || <reason>]"`);
    const verdict = m[3]!;
    if (verdict !== "server" && !(verdict in REASONS)) {
      throw new Error(`${file}:${index + 1}: verdict "${verdict}" is not one of server, ${Object.keys(REASONS).join(", ")}`);
    }
    if (out.has(m[1]!)) throw new Error(`${file}:${index + 1}: ${m[1]} is summarised twice`);
    out.set(m[1]!, { id: m[1]!, hash: m[2]!, verdict: verdict as Verdict, summary: m[4]!, ...(m[5] ? { reason: m[5] } : {}) });
  });
  return out;
}

export interface BuildResult {
  catalogue: Catalogue;
  /** Statements with neither a summary nor a matching rule. */
  missing: Array<Statement & { id: string; hash: string }>;
  /** Summaries whose statement changed (hash differs) — to be rewritten. */
  stale: Array<Statement & { id: string; hash: string; was: string }>;
  /** Summaries for ids the document no longer has. */
  orphaned: string[];
}

/** How a pending entry's summary starts, so readers (and the check test) can tell it is a placeholder. */
export const PENDING_PREFIX = "(Summary pending)";

/**
 * A pending entry's verdict until someone reads the statement: by who the
 * sentence obliges and where it stands. Provisional, and marked so.
 */
export function provisionalVerdict(s: Statement): Verdict {
  if (/^(?:[^,]*,\s*)?Clients?\s+(MUST|SHALL)/.test(s.text)) return "client";
  if (/\b(other specifications|extensions?)\b[^.]*\bMUST/i.test(s.text) || /Extension/.test(s.heading) && !/\bServers?\b/.test(s.text)) return "spec";
  if (/^9\.2\.1(\.|$)/.test(s.section)) return "ui";
  if (/^12(\.|$)/.test(s.section)) return "operator";
  return "server";
}

export function buildCatalogue(source: MustSource, statements: Statement[], authored: Map<string, AuthoredSummary>): BuildResult {
  const withIds = assignIds(source.short, statements);
  const entries: MustEntry[] = [];
  const missing: BuildResult["missing"] = [];
  const stale: BuildResult["stale"] = [];
  for (const s of withIds) {
    const hand = authored.get(s.id);
    if (hand && hand.hash !== s.hash) {
      stale.push({ ...s, was: hand.hash });
      continue;
    }
    const rule = hand ? null : summariseByRule(s, source.objectNames);
    const verdict = hand?.verdict ?? rule?.verdict;
    const summary = hand?.summary ?? rule?.summary;
    if (!verdict || !summary) {
      if (!source.allowPending) {
        missing.push(s);
        continue;
      }
    }
    const pending = !verdict || !summary;
    const finalVerdict = verdict ?? provisionalVerdict(s);
    const reason =
      finalVerdict === "server" ? undefined : pending ? `${REASONS[finalVerdict]} (Provisional: judged from the sentence's subject and section.)` : (hand?.reason ?? rule?.reason ?? REASONS[finalVerdict]);
    entries.push({
      id: s.id,
      spec: source.spec,
      section: s.section,
      heading: s.heading,
      keyword: s.keyword,
      summary: summary ?? `${PENDING_PREFIX} ${s.keyword} statement of §${s.section} ${s.heading}`,
      serverTestable: finalVerdict === "server",
      ...(reason ? { reason } : {}),
      hash: s.hash,
      summaryBy: pending ? "pending" : hand ? "hand" : `rule:${rule!.rule}`,
      line: s.line,
    });
  }
  const ids = new Set(withIds.map((s) => s.id));
  const orphaned = [...authored.keys()].filter((id) => !ids.has(id));
  return {
    catalogue: { spec: source.spec, revision: source.revision, document: source.document, keywords: ["MUST", "MUST NOT", "REQUIRED", "SHALL", "SHALL NOT"], entries },
    missing,
    stale,
    orphaned,
  };
}
