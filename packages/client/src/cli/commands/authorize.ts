/**
 * `cds authorize`: the runnable example of the authorization-code flow. It
 * listens on the loopback redirect URI (RFC 8252 §7.3), prints the
 * authorization URL, and when the browser comes back checks the state and
 * exchanges the code; the tokens go to the config file, never to the screen.
 */
import { createServer } from "node:http";
import { buildAuthorizationRequest, exchangeAuthorizationCode } from "../../oauth/authorization-code.js";
import { oauthContext } from "../../oauth/context.js";
import type { CliContext } from "../context.js";
import { UsageError } from "../exit.js";
import { parseJsonOption } from "../program.js";

export interface AuthorizeOptions {
  clientId?: string;
  scope: string;
  details?: string;
  grantId?: string;
  redirectUri?: string;
  timeout: string;
}

export async function authorizeCommand(c: CliContext, options: AuthorizeOptions): Promise<void> {
  const discovery = await c.discovery();
  const { key, entry: server } = await c.entry();
  const clientId = options.clientId ?? server.app;
  const client = clientId ? server.clients[clientId] : undefined;
  if (!client) throw new UsageError("--client-id", "no stored Client Object for the authorization-code flow; run `cds use-client --app` or `cds register` first");
  const redirectUri = options.redirectUri ?? client.redirect_uri;
  if (!redirectUri) throw new UsageError("--redirect-uri", "required: a loopback redirect URI registered for this Client Object");
  const redirect = new URL(redirectUri);
  if (redirect.protocol !== "http:" || !["127.0.0.1", "[::1]", "localhost"].includes(redirect.hostname) || !redirect.port) {
    throw new UsageError("--redirect-uri", "must be an http loopback URI with a port, such as http://127.0.0.1:8400/callback (RFC 8252 §7.3)");
  }
  const timeout = Number(options.timeout);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new UsageError("--timeout", `must be a positive number of seconds (got ${JSON.stringify(options.timeout)})`);
  const details = options.details === undefined ? undefined : parseJsonOption("--details", options.details);
  if (details !== undefined && !Array.isArray(details)) throw new UsageError("--details", "must be a JSON array of authorization detail objects");

  const context = oauthContext(discovery);
  const pending = await buildAuthorizationRequest(context, {
    clientId: client.client_id,
    clientSecret: client.client_secret,
    redirectUri,
    scope: options.scope,
    ...(details ? { authorizationDetails: details as never } : {}),
    ...(options.grantId ? { cdsGrantId: options.grantId } : {}),
  });

  const callback = await new Promise<URL>((resolve, reject) => {
    const listener = createServer((request, response) => {
      const url = new URL(request.url ?? "/", redirect.origin);
      if (url.pathname !== redirect.pathname) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><title>CDS</title><p>Done: you can close this tab and return to the terminal.</p>");
      clearTimeout(timer);
      listener.close();
      resolve(url);
    });
    const timer = setTimeout(() => {
      listener.close();
      reject(new UsageError("--timeout", `no browser came back to ${redirectUri} within ${timeout} s`));
    }, timeout * 1000);
    listener.on("error", (error) => {
      clearTimeout(timer);
      reject(new UsageError("--redirect-uri", `cannot listen on ${redirect.host}: ${error.message}`));
    });
    listener.listen(Number(redirect.port), redirect.hostname.replace(/^\[|\]$/g, ""), () => {
      c.warn(`Listening on ${redirect.origin} for the browser's return. Open this URL to sign in and consent:`);
      c.out(pending.url.href);
    });
  });

  const { tokens } = await exchangeAuthorizationCode(context, pending, callback, { clientSecret: client.client_secret, store: c.config.tokenStore(key), key: `authorization_code ${client.client_id}` });
  await c.config.update((config) => {
    const s = config.servers[key]!;
    s.app = client.client_id;
  });
  const summary = { scope: tokens.scope ?? options.scope, expires_at: tokens.expires_at ? new Date(tokens.expires_at * 1000).toISOString() : null, refresh: Boolean(tokens.refresh_token), authorization_details: tokens.authorization_details ?? [] };
  if (c.options.json) return c.json(summary);
  c.out(`Authorized: ${summary.scope}, expires ${summary.expires_at ?? "(not said)"}${summary.refresh ? ", refreshable" : ""}; tokens stored in ${c.config.path}`);
}
