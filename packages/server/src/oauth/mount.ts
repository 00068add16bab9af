/**
 * Serves oidc-provider (a Koa application) from Fastify. oidc-provider parses
 * its own request bodies, so Fastify's parsers are removed for its routes, and
 * the raw request and response are handed over (`reply.hijack()`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from "fastify";
import type Provider from "oidc-provider";
import { paths } from "../urls.js";
import { checkUrlEncoded, EdgeRuleError } from "../http/edge-validation.js";
import { problem, sendProblem } from "../http/problem.js";
import { replayBody } from "./request-form.js";

/**
 * Form bodies: UTF-8 only (RFC 6749 Appendix B; a declared `charset=utf-16` or
 * bytes that are not UTF-8 are refused, not replaced), then the edge rules.
 */
function checkOAuthBody(contentType: string | undefined, body: Buffer): void {
  const [type = "", ...params] = (contentType ?? "").toLowerCase().split(";").map((s) => s.trim());
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset !== undefined && charset !== "utf-8") throw new EdgeRuleError("header:content-type", "charset", "the only charset accepted is utf-8");
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new EdgeRuleError("", "utf-8", "the body is not valid UTF-8");
  }
  if (type === "application/x-www-form-urlencoded") checkUrlEncoded(text, "body");
  else if (text.includes("\u0000")) throw new EdgeRuleError("", "no-nul", "must not contain a NUL character (U+0000)");
}

/** `earlyDiscovery`: the RFC 8414 document's early answer (http/public-document-fast-path.ts), if any. */
export async function mountProvider(app: FastifyInstance, provider: Provider, issuer: string, earlyDiscovery: onRequestHookHandler | null = null): Promise<void> {
  const { protocol, host } = new URL(issuer);
  const callback = provider.callback();

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    // Registration is the server's own POST route; other methods there are a 405, not oidc-provider's 404.
    if (request.url.split("?")[0] === paths.registration) {
      reply.header("allow", "POST");
      return sendProblem(reply, problem(405, `${request.method} is not allowed on ${paths.registration}; use POST.`));
    }
    const headers = request.raw.headers;
    // The provider builds its endpoint URLs from these (provider.proxy is on). Setting them
    // from the issuer URL, whatever the client sent, keeps advertised URLs under our control.
    headers["x-forwarded-proto"] = protocol.slice(0, -1);
    headers["x-forwarded-host"] = host;
    headers["x-forwarded-for"] = request.ip;
    // Headers set by Fastify hooks (rate limit) would be lost with the reply object. onSend hooks
    // never run for these replies: the provider sets what server.ts's hook adds (provider.ts).
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) reply.raw.setHeader(name, value as string | number | readonly string[]);
    }
    replayBody(request.raw);
    reply.hijack();
    await callback(request.raw, reply.raw);
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Read the body here (oidc-provider's own limit, 56 KiB) so the edge rules (http/edge-validation.ts) see every
    // form field before oidc-provider or the database do; oidc-provider then reads the bytes from `req.body` as a stream (request-form.ts `replayBody`).
    scope.addContentTypeParser("*", { parseAs: "buffer", bodyLimit: 56 * 1024 }, (request, body, done) => {
      try {
        checkOAuthBody(request.headers["content-type"], body as Buffer);
      } catch (error) {
        return done(error as Error, undefined);
      }
      (request.raw as typeof request.raw & { body?: Buffer }).body = body as Buffer;
      done(null, body);
    });
    scope.route({ method: ["GET", "POST", "OPTIONS"], url: `${paths.oauthPrefix}*`, handler: forward });
    scope.route({ method: ["GET", "OPTIONS"], url: paths.oauthMetadata, ...(earlyDiscovery ? { onRequest: earlyDiscovery } : {}), handler: forward });
  });
}
