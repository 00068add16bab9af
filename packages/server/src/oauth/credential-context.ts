/**
 * Which Credential authenticated the current OAuth request. oidc-provider
 * checks the secret (provider-internals.ts) long before it stores the token,
 * with no way to pass data between the two; an AsyncLocalStorage scoped to
 * the request carries the Credential id from the check to the adapter, which
 * records it beside every artifact the request writes. Tokens of a Credential
 * that expires, or of a disabled Client Object, then stop working (adapter.ts).
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface RequestCredential {
  credentialId: string | null;
  /** The request's one wait for announcements in transit (oauth/client-cache.ts): later cache reads in the request share it. */
  synced?: Promise<boolean>;
}

const storage = new AsyncLocalStorage<RequestCredential>();

/** Runs one OAuth request with its own (initially empty) record. */
export function withCredentialContext<T>(run: () => Promise<T>): Promise<T> {
  return storage.run({ credentialId: null }, run);
}

export function recordAuthenticatingCredential(credentialId: string): void {
  const store = storage.getStore();
  if (store) store.credentialId = credentialId;
}

/**
 * `sync` once per OAuth request: every change committed before the request's
 * first cache read has been announced once it resolves, which is all a read
 * later in the same request needs. Outside a request, `sync` every time.
 */
export function syncOncePerRequest(sync: () => Promise<boolean>): Promise<boolean> {
  const store = storage.getStore();
  if (!store) return sync();
  return (store.synced ??= sync());
}

/** The Credential that authenticated the current request, or null (none, or outside a request). */
export function authenticatingCredential(): string | null {
  return storage.getStore()?.credentialId ?? null;
}
