/**
 * Headers every response carries, whoever writes it: Fastify's `onSend` hook
 * (server.ts) and, for the replies oidc-provider writes itself past that hook,
 * its outermost middleware (oauth/provider.ts).
 */
export const securityHeaders = {
  // Browsers must not reinterpret a JSON or text body as HTML or script.
  "x-content-type-options": "nosniff",
} as const satisfies Record<string, string>;
