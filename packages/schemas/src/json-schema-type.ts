/**
 * Deliberately loose document types: consumers hand these objects to a JSON
 * Schema or OpenAPI tool, which brings its own precise typing.
 */
export type JsonSchema = { readonly [keyword: string]: unknown };

export type OpenApiDocument = {
  readonly openapi: string;
  readonly info: { readonly title: string; readonly version: string };
  readonly paths: { readonly [path: string]: { readonly [method: string]: unknown } };
  readonly components?: { readonly schemas?: { readonly [name: string]: JsonSchema } };
  readonly [key: string]: unknown;
};
