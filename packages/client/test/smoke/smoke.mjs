// Smoke test of the built package, run by node-versions.test.ts under each Node on the machine.
// Plain JavaScript (no type stripping), importing only what a consumer imports: the package's dist.
import { createServer } from "node:http";
import { discover, DiscoveryError, serializeQuery, segmentRows, usageCsv } from "../../dist/index.js";

const server = createServer((request, response) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  if (request.url === "/.well-known/cds-server-metadata.json") {
    response.writeHead(301, { location: `${base}/elsewhere` }).end();
    return;
  }
  response.writeHead(404).end();
});
await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const result = {};
try {
  await discover(base);
} catch (error) {
  result.discovery = error instanceof DiscoveryError ? error.failure : String(error);
}
server.close();
result.query = serializeQuery({ ids: ["a", "b"], after: new Date(Date.UTC(2024, 0, 1)) });
const rows = segmentRows({
  cds_usagesegment_id: "s", cds_created: "2024-01-01T00:00:00Z", cds_modified: "2024-01-01T00:00:00Z", cds_synced: "2024-01-01T00:00:00Z",
  related_aggregations: [], related_accounts: [], related_servicecontracts: [], related_servicepoints: [], related_meterdevices: [], related_billsections: [],
  segment_start: "2024-01-01T00:00:00Z", segment_end: "2024-01-01T00:30:00Z", interval: 900,
  formats: [{ id: "f", type: "electric_usage", units: "kWh" }], values: [[{ eu: 1 }], [null]],
});
let csv = "";
for await (const chunk of usageCsv((async function* () { yield rows; })())) csv += chunk;
result.csv = csv;
result.node = process.version;
process.stdout.write(JSON.stringify(result));
