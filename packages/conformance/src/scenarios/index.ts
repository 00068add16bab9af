/** Every scenario, in the order a run takes them: cheap document checks first, then flows. */
import type { Scenario } from "../scenario.js";
import { wg101Scenarios } from "./wg1-01/index.js";
import { asMetadata, discovery } from "./wg1-02/as-metadata.js";
import { authorizationCode, emptyGrantId, grantClose, grantsApi, introspection, refresh, revocation } from "./wg1-02/authorization.js";
import { clientModification, clientsApi, credentialsApi, messagesApi } from "./wg1-02/management-apis.js";
import { clientCredentials, registration } from "./wg1-02/registration.js";
import { changelog, clientDisable, clientReview, requestResolution } from "./wg1-02/client-changes.js";
import { otherCustomersGrant, promptLogin } from "./wg1-02/customer-session.js";
import { defaultRedirectUri } from "./wg1-02/default-redirect.js";
import { cdsGrantIdErrors, grantModification } from "./wg1-02/grant-authorization.js";
import { messageAttachmentSize, messagePaging } from "./wg1-02/message-paging.js";
import { customerDataListings } from "./wg3-01/customer-data-apis.js";
import { customerDataFilters } from "./wg3-01/filters.js";
import { customerDataMetadata } from "./wg3-01/metadata.js";
import { customerDataOrdering } from "./wg3-01/ordering.js";
import { customerDataVisibility } from "./wg3-01/visibility.js";
import { serverProvidedFiles } from "./wg1-02/server-provided-files.js";
import { codeReplay, consentPage, pkce, redirectUris, wrongTokens } from "./wg1-02/security.js";

export const scenarios: Scenario[] = [
  ...wg101Scenarios,
  discovery,
  asMetadata,
  registration,
  clientCredentials,
  clientsApi,
  clientModification,
  messagesApi,
  messagePaging,
  messageAttachmentSize,
  credentialsApi,
  changelog,
  requestResolution,
  clientDisable,
  clientReview,
  authorizationCode,
  emptyGrantId,
  refresh,
  introspection,
  revocation,
  grantsApi,
  grantClose,
  grantModification,
  cdsGrantIdErrors,
  otherCustomersGrant,
  promptLogin,
  defaultRedirectUri,
  serverProvidedFiles,
  wrongTokens,
  pkce,
  codeReplay,
  redirectUris,
  consentPage,
  customerDataMetadata,
  customerDataListings,
  customerDataFilters,
  customerDataOrdering,
  customerDataVisibility,
];
