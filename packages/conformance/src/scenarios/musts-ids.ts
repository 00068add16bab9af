/** Catalogue ids (packages/conformance/musts/) by range: `range("WG1-01-3.2-", 1, 12)` is WG1-01-3.2-1 … -12. */
export function range(prefix: string, from: number, to: number, except: readonly number[] = []): string[] {
  const ids: string[] = [];
  for (let n = from; n <= to; n++) if (!except.includes(n)) ids.push(`${prefix}${n}`);
  return ids;
}
