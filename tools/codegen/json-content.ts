/**
 * Makes `contentSchema` an assertion in our compiled validators.
 *
 * Some values the specs define are JSON documents carried inside a string:
 * the `authorization_details` of a token request (a form field, RFC 9396
 * §6.1, CDS-WG1-02 §3.3.2), of a pushed authorization request and of an
 * authorization URL (RFC 9396 §2, CDS-WG1-02 §8.3). The TypeSpec models say
 * what the string holds with `@contentMediaType("application/json")` and
 * `@contentSchema(...)`, which both emitters copy into the contract.
 *
 * JSON Schema 2020-12 makes both keywords annotations (§8.3 of the validation
 * vocabulary): a validator need not look inside the string, and Ajv does not.
 * So the emitted (open) schemas accept any string there, and the contract
 * alone cannot reject a malformed `authorization_details`. Our validators do
 * what a Server must: this Ajv keyword replaces the `contentSchema`
 * annotation with code that parses the string as JSON and validates the
 * decoded value against the content schema. Invalid JSON fails this keyword
 * (`contentSchema`, "must be a JSON document"); a decoded value that does not match reports the
 * content schema's own errors, with pointers continuing into the decoded
 * value (`/authorization_details/0/grant_id`).
 *
 * `schema-modes.ts` rewrites `contentSchema` as an asserting position, so the
 * decoded value is checked strictly in strict mode and leniently in lenient
 * mode, and `strict ⇒ emitted ⇒ lenient` still holds (the emitted schema,
 * which does not decode, accepts every string).
 *
 * The keyword is a code-generating one, so Ajv's standalone output contains
 * the decoding and needs nothing from this module at run time.
 */
import type { Ajv2020 } from "ajv/dist/2020.js";
import type { CodeKeywordDefinition, KeywordCxt } from "ajv";
import codegen from "ajv/dist/compile/codegen/index.js";

const { _ } = codegen as unknown as typeof import("ajv/dist/compile/codegen/index.js");

/** The only content media type our contract uses. */
export const JSON_MEDIA_TYPE = "application/json";

const decodedJsonContent: CodeKeywordDefinition = {
  keyword: "contentSchema",
  type: "string",
  schemaType: ["object", "boolean"],
  trackErrors: true,
  error: {
    message: "must be a JSON document (contentMediaType application/json)",
    params: () => _`{mediaType: ${JSON_MEDIA_TYPE}}`,
  },
  code(cxt: KeywordCxt) {
    const { gen, data, parentSchema, it } = cxt;
    const mediaType = (parentSchema as { contentMediaType?: unknown }).contentMediaType;
    if (mediaType !== JSON_MEDIA_TYPE) {
      throw new Error(`contentSchema at ${it.errSchemaPath} needs contentMediaType "${JSON_MEDIA_TYPE}", found ${String(mediaType)}`);
    }
    const decoded = gen.let("decoded");
    const parsed = gen.let("parsed", false);
    gen.try(
      () => {
        gen.assign(decoded, _`JSON.parse(${data})`);
        gen.assign(parsed, true);
      },
      () => {},
    );
    const valid = gen.name("valid");
    gen.if(
      parsed,
      // The decoded value is new data: its own evaluated properties, no inherited types.
      () => cxt.subschema({ keyword: "contentSchema", data: decoded, dataTypes: [], definedProperties: new Set() }, valid),
      () => gen.var(valid, false),
    );
    // Not JSON: this keyword's one error. Decoded but not matching: the
    // content schema already reported why, so add nothing.
    cxt.pass(valid, () => gen.if(_`!${parsed}`, () => cxt.error()));
  },
};

/** Replace Ajv's `contentSchema` annotation with the decoding assertion. */
export function addJsonContent(ajv: Ajv2020): void {
  ajv.removeKeyword("contentSchema");
  ajv.addKeyword(decodedJsonContent);
}
