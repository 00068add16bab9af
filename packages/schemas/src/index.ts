export type { JsonSchema, OpenApiDocument } from "./json-schema-type.js";
export {
  jsonSchemas,
  strictJsonSchemas,
  lenientJsonSchemas,
  modelNames,
  type ModelName,
} from "./generated/json-schema.js";
export { openapiDocuments, type OpenApiModule } from "./generated/openapi.js";
