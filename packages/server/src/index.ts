export { createServer, type CdsServer, type CreateServerOptions } from "./server.js";
export { ConfigError, defaultIssuerUrl, fromEnvironment, parseConfig, settings, type ServerConfig } from "./config/index.js";
export { openDatabase, truncateAll, type Database, type Db } from "./db/index.js";
export { seedDemoData, type DemoClientInfo } from "./demo/seed.js";
export { publicUrls, paths, type PublicUrls } from "./urls.js";
export { defaultReviewedClientFields, modifiableClientFields, type ModifiableClientField } from "./cds/review-policy.js";
export { RequestResolutionError, resolutionsByType, type RequestResolution, type ResolutionRule, type ResolveRequestInput } from "./cds/reviews.js";
export type { PendingRequest, ResolvedRequest, ServerOperator } from "./operator.js";
