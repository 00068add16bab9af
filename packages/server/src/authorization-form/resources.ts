/**
 * What the Authorization Form reads of a customer's resources (CDS-WG3-01
 * §9.2.3): the signed-in customer's resource graph from the Customer Data
 * source (`ctx.customerData.resourceGraph`), the generated objects
 * themselves, and nothing of anyone else. resource-graph.ts adapts them to
 * the Selection Component; the form never reads the tables itself.
 */
import type { CustomerResourceGraph } from "../customer-data/data-source.js";

/** One customer's resources; every list is theirs only. */
export type CustomerResources = CustomerResourceGraph;
