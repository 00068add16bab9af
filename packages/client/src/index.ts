export { discover, metadataUrlOf, SERVER_METADATA_PATH, type Discovery, type DiscoverOptions, type RelatedMetadata } from "./discovery/discover.js";
export {
  CdsApiError,
  CdsClientError,
  DiscoveryError,
  InvalidTokenError,
  MalformedResponseError,
  OAuthError,
  PagingLoopError,
  ResponseValidationError,
  type DiscoveryFailure,
} from "./errors.js";
export { platformFetch, retryAfterMs, withBearer, withRetries, type AccessTokenSource, type Fetch, type RetryOptions } from "./http/fetch.js";
export { serializeQuery, queryValue, type Filters, type QueryValue } from "./http/query.js";
export { oauthContext, type OAuthContext } from "./oauth/context.js";
export { registerClient } from "./oauth/registration.js";
export { ClientCredentialsTokens, RefreshingTokens, type ClientCredentialsOptions, type RefreshingTokensOptions, type TokenSourceOptions } from "./oauth/tokens.js";
export { MemoryTokenStore, type StoredTokens, type TokenStore } from "./oauth/token-store.js";
export {
  buildAuthorizationRequest,
  exchangeAuthorizationCode,
  introspectToken,
  revokeToken,
  type AuthorizationRequestInput,
  type ExchangeOptions,
  type PendingAuthorization,
} from "./oauth/authorization-code.js";
export { CdsApi, type CdsApiOptions } from "./apis/cds-api.js";
export { Listing, type ListOptions } from "./apis/listing.js";
export { customerDataApis, type CustomerDataApiName } from "./apis/customer-data.js";
export type { MessageBox } from "./apis/registration-apis.js";
export { paginate, pages, type Page, type PaginateOptions } from "./paging/paginate.js";
export { segmentRows, usageRows, withinWindow, VALUE_FIELDS, type Reading, type SegmentRows, type UsageColumn, type UsageRow } from "./usage/rows.js";
export { columnHeader, csvField, rfc3339, usageCsv, usageJsonl, type ExportFormat } from "./usage/export.js";
export { decodeUsagePage, usageSegmentRows, type UsageStreamOptions } from "./usage/stream.js";
