/**
 * The recorded examples of CDS-WG3-01 §13 (spec/examples/), read as the
 * project's example check reads them, with `https://example.com` moved to a
 * local fake so the client can be pointed at them.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseBody } from "../../../../tools/checks/examples.ts";
import type { SpecExample } from "../../../../tools/examples/model.ts";

const examples = path.resolve(import.meta.dirname, "../../../../spec/examples");

/** The JSON body of the `index`-th response of example `id` (such as `wg3-01/13.3.5-1`), its URLs rebased on `base`. */
export async function exampleResponse(id: string, base: string, index = 0): Promise<Record<string, unknown>> {
  const example = JSON.parse(await readFile(path.join(examples, `${id}.json`), "utf8")) as SpecExample;
  const response = example.messages.filter((m) => m.kind === "response")[index];
  if (!response) throw new Error(`${id} has no response #${index}`);
  const body = parseBody(response);
  if (body.kind !== "json") throw new Error(`${id} response #${index} is not JSON`);
  return JSON.parse(JSON.stringify(body.value).replaceAll("https://example.com", base)) as Record<string, unknown>;
}
