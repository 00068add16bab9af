/**
 * The customer's sign-in outside an authorization request (CDS-WG3-01 §9.4:
 * the receipt offers a sign-in so its owner can see the numbers it hides, and
 * §9.1.1 asks for the receipts in the customer's account). It is the same
 * session as the authorization flow's: oidc-provider's Session, in its signed
 * `HttpOnly`, `SameSite=Lax` cookie, kept in the database with the same
 * lifetime. Signing in on either side signs in on both, and signing out ends
 * it at once for both.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { tokenLifetimes } from "../provider.js";

/** As the oidc-provider mount does: URLs and cookie flags follow the issuer, whatever the browser sent. */
function asIssuer(req: IncomingMessage, issuer: string): void {
  const { protocol, host } = new URL(issuer);
  req.headers["x-forwarded-proto"] = protocol.slice(0, -1);
  req.headers["x-forwarded-host"] = host;
}

type Session = InstanceType<Provider["Session"]>;

async function currentSession(provider: Provider, issuer: string, req: IncomingMessage, res: ServerResponse): Promise<Session> {
  asIssuer(req, issuer);
  // Session.get reads (and checks the signature of) the session cookie; it never writes one.
  return (provider.Session as unknown as { get(ctx: { req: IncomingMessage; res: ServerResponse }): Promise<Session> }).get({ req, res });
}

/** The signed-in customer's account id, or null. */
export async function signedInAccount(provider: Provider, issuer: string, req: IncomingMessage, res: ServerResponse): Promise<string | null> {
  const session = await currentSession(provider, issuer, req, res);
  return session.accountId ?? null;
}

/** Signs `accountId` in: a fresh session (a new id, never one a visitor brought along), in the session cookie. */
export async function startAccountSession(provider: Provider, issuer: string, req: IncomingMessage, res: ServerResponse, accountId: string): Promise<void> {
  const previous = await currentSession(provider, issuer, req, res);
  if (!(previous as unknown as { new?: boolean }).new) await previous.destroy();
  const session = new provider.Session();
  session.loginAccount({ accountId });
  await session.save(tokenLifetimes.session);
  const cookies = provider.createContext(req, res).cookies;
  cookies.set(provider.cookieName("session"), (session as unknown as { id: string }).id, { httpOnly: true, sameSite: "lax", maxAge: tokenLifetimes.session * 1000 });
}

/** Signs out: the session ends in the database at once, and the cookie is cleared. */
export async function endAccountSession(provider: Provider, issuer: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const session = await currentSession(provider, issuer, req, res);
  if (!(session as unknown as { new?: boolean }).new) await session.destroy();
  provider.createContext(req, res).cookies.set(provider.cookieName("session"), null, { httpOnly: true, sameSite: "lax" });
}
