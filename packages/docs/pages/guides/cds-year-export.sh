# In the repository, with `pnpm start` running (http://127.0.0.1:8080).
cds() { node_modules/node/bin/node --max-semi-space-size=8 packages/client/dist/cli/main.js "$@"; }

cds discover http://127.0.0.1:8080
cds register --scope "cds_client_admin cds_usage_1" --name "My energy app" --contact dev@example.com \
  --redirect-uri http://127.0.0.1:8400/callback
# Prints a URL: open it, sign in as alex.demo / sandbox-alex-2024, Approve. The browser comes back to cds.
# The demo's readings run up to 06:00 UTC of today: the year before that (GNU date; on macOS `date -u -v-6H …`).
TO=$(date -u -d '-6 hours' +%Y-%m-%dT06:00:00Z); FROM=$(date -u -d "${TO%T*} -1 year" +%Y-%m-%dT06:00:00Z)
cds authorize --scope cds_usage_1 \
  --details '[{"type":"cds_usage_1","account_numbers":["001001-001"],"include_meter_numbers":true,"segment_start":"'"$FROM"'"}]'
cds usage export --meter M001001001E --interval 900 \
  --from "$FROM" --to "$TO" --format csv --output usage.csv
