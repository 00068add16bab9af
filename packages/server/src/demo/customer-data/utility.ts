/** Who the demo utility is: its site and its Entity (CDS-WG3-01 §10.1.2), shared by every generated object. */
import type { Entity } from "@cds-toolkit/types";

export const site = "https://dge.example";

/** One entity distributes and supplies, so bill sections name it as both (§10.6.1). */
export const utility: Entity = {
  id: "dge",
  types: ["distributor", "supplier", "iou"],
  entity_number: "DGE",
  entity_name: "Demo Gas & Electric",
  entity_abbreviation: "DG&E",
};
