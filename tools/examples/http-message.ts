import type { ExampleMessage, Header } from "./model.ts";

const MARKER = /^==(Request|Response)==\s*$/;
const REQUEST_LINE = /^([A-Z]+)\s+(\S+)(?:\s+HTTP\/\d(?:\.\d)?)?$/;
const STATUS_LINE = /^HTTP\/\d(?:\.\d)?\s+(\d{3})\s*(.*)$/;

/**
 * Splits an example block into the HTTP messages it shows. The specs mark each
 * message with `==Request==` / `==Response==`; a block without markers is a
 * bare document (a URL or a JSON object).
 */
export function parseExampleBlock(text: string): ExampleMessage[] {
  const lines = text.split("\n");
  const starts = lines.flatMap((line, i) => (MARKER.test(line) ? [i] : []));
  const messages: ExampleMessage[] = [];
  // Text before the first marker is a message too: some blocks print a request
  // without its `==Request==` line, and it must not be silently dropped.
  const lead = trimBlank(lines.slice(0, starts[0] ?? lines.length));
  if (lead.length) {
    messages.push(REQUEST_LINE.test(lead[0]!.trim()) ? parseMessage("request", lead) : { kind: "document", body: lead.join("\n") });
  }
  starts.forEach((start, n) => {
    const kind = MARKER.exec(lines[start]!)![1] === "Request" ? "request" : "response";
    const end = starts[n + 1] ?? lines.length;
    messages.push(parseMessage(kind, trimBlank(lines.slice(start + 1, end))));
  });
  return messages;
}

function parseMessage(kind: "request" | "response", lines: string[]): ExampleMessage {
  const [startLine = "", ...rest] = lines;
  const blank = rest.findIndex((l) => l.trim() === "");
  const headerLines = blank === -1 ? rest : rest.slice(0, blank);
  const bodyLines = blank === -1 ? [] : trimBlank(rest.slice(blank + 1));
  const headers = headerLines.map(parseHeader);
  const body = bodyLines.length ? bodyLines.join("\n") : null;

  if (kind === "request") {
    const m = REQUEST_LINE.exec(startLine.trim());
    if (!m) throw new Error(`request line not understood: ${JSON.stringify(startLine)}`);
    return { kind, method: m[1]!, target: m[2]!, headers, body };
  }
  const m = STATUS_LINE.exec(startLine.trim());
  if (!m) throw new Error(`status line not understood: ${JSON.stringify(startLine)}`);
  return { kind, status: Number(m[1]), reason: m[2]!.trim(), headers, body };
}

function parseHeader(line: string): Header {
  const colon = line.indexOf(":");
  if (colon <= 0) throw new Error(`header line not understood: ${JSON.stringify(line)}`);
  return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
}

function trimBlank(lines: string[]): string[] {
  let a = 0;
  let b = lines.length;
  while (a < b && lines[a]!.trim() === "") a++;
  while (b > a && lines[b - 1]!.trim() === "") b--;
  return lines.slice(a, b);
}
