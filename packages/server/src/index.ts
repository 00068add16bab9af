export { createServer, type CdsServer, type CreateServerOptions } from "./server.js";
export { ConfigError, defaultIssuerUrl, fromEnvironment, parseConfig, settings, type ServerConfig } from "./config/index.js";
export { openDatabase, truncateAll, type Database, type Db } from "./db/index.js";
export { seedDemoData, type DemoClientInfo } from "./demo/seed.js";
export { publicUrls, paths, type PublicUrls } from "./urls.js";
export { defaultReviewedClientFields, modifiableClientFields, type ModifiableClientField } from "./cds/review-policy.js";
export { RequestResolutionError, resolutionsByType, type RequestResolution, type ResolutionRule, type ResolveRequestInput } from "./cds/reviews.js";
export type { PendingRequest, ResolvedRequest, ServerOperator } from "./operator.js";
export type { AuthorizationNeeded } from "./cds/grant-authorization.js";
export type { FileShare, NewServerProvidedFile } from "./cds/server-provided-files.js";
export { CustomerInputError, type Customer, type NewCustomer } from "./customers/index.js";
export type {
  CustomerDataKind,
  CustomerDataKinds,
  CustomerDataObject,
  CustomerDataSource,
  CustomerResourceGraph,
  ListFilterName,
  ListPage,
  ListPosition,
  ListRequest,
  ListedObject,
} from "./customer-data/data-source.js";
export { DatabaseCustomerDataSource, storeCustomerData, type StoredObject } from "./customer-data/database-source.js";
export { generateDemoUtility, defaultDemoSize, type DemoUtility, type DemoUtilitySize } from "./demo/customer-data/generator.js";
