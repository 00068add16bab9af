/**
 * Serves oidc-provider (a Koa application) from Fastify. oidc-provider parses
 * its own request bodies, so Fastify's parsers are removed for its routes, and
 * the raw request and response are handed over (`reply.hijack()`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type Provider from "oidc-provider";
import { paths } from "../urls.js";

export async function mountProvider(app: FastifyInstance, provider: Provider, issuer: string): Promise<void> {
  const { protocol, host } = new URL(issuer);
  const callback = provider.callback();

  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
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
    reply.hijack();
    await callback(request.raw, reply.raw);
  };

  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    // Leave every body unread for oidc-provider.
    scope.addContentTypeParser("*", (_request, _payload, done) => done(null));
    scope.route({ method: ["GET", "POST", "OPTIONS"], url: `${paths.oauthPrefix}*`, handler: forward });
    scope.route({ method: ["GET", "OPTIONS"], url: paths.oauthMetadata, handler: forward });
  });
}
