/**
 * The values an attacker or a broken client sends instead of a field's
 * value: wrong types, numbers out of range, overlong strings, NUL, invalid
 * UTF-8, lone surrogates, SQL- and path-traversal-looking text, control
 * characters. URL forms are already percent-encoded (so they can carry bytes
 * that are not UTF-8); JSON forms are values to put in a JSON body.
 */
import fc from "fast-check";

/** Percent-encoded strings for a path segment, a query value or a form field. */
export const hostileUrlValues: readonly string[] = [
  "",
  "%00",
  "a%00b",
  "%ff%fe",
  "%C3%28",
  "%ED%A0%80", // a UTF-16 surrogate encoded as UTF-8: not valid UTF-8
  "%F0%9F%98%80",
  "%E2%80%AE",
  "%0D%0ASet-Cookie%3A%20a%3Db",
  "%",
  "%zz",
  "%25",
  "+",
  "%20",
  "..%2F..%2F..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "....%5C....%5Cwindows%5Cwin.ini",
  "'%20OR%20'1'%3D'1",
  "1%3B%20DROP%20TABLE%20clients%3B%20--",
  "%22)%20OR%201%3D1%20--",
  "%24%7Bjndi%3Aldap%3A%2F%2Fx%7D",
  "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
  "null",
  "true",
  "-1",
  "0",
  "1e309",
  "0x10",
  "NaN",
  "Infinity",
  "9".repeat(400),
  "x".repeat(3000),
  "x".repeat(70_000),
];

/** Query values that are almost numbers: for integer parameters. */
export const hostileNumberTexts: readonly string[] = ["-1", "0", "101", "1.5", "1e3", "1e309", "-0", "0x10", "NaN", "Infinity", " 5", "5 ", "٣", "99999999999999999999", "abc", ""];

const deepObject = (depth: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

/** Values to put in a JSON body in place of a field's value. */
export const hostileJsonValues: readonly unknown[] = [
  "",
  "\u0000",
  "a\u0000b",
  "\ud800",
  "\udfff\ud800",
  "\u202e",
  "' OR '1'='1",
  "1; DROP TABLE clients; --",
  "../../../../etc/passwd",
  "..\\..\\windows\\win.ini",
  "\r\nSet-Cookie: a=b",
  "x".repeat(3000),
  "x".repeat(70_000),
  "x".repeat(300_000),
  -1,
  0,
  1.5,
  -0,
  1e308,
  -1e308,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  true,
  false,
  null,
  [],
  {},
  [null],
  ["x".repeat(10)],
  { $ne: 1 },
  { __proto__: { polluted: true } },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
  deepObject(64),
  "NaN",
  "Infinity",
  "1970-01-01T00:00:00Z",
  "9999-12-31T23:59:59Z",
];

export const hostileUrlValue = fc.constantFrom(...hostileUrlValues);
export const hostileJsonValue = fc.constantFrom(...hostileJsonValues);
