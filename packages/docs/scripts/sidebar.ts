/** The site's sidebar: guides, then the reference and the models of each specification. */
import { operationsOf, type Contract } from "./contract.ts";
import { modelSpec } from "./model-pages.ts";

interface Item {
  text: string;
  link?: string;
  collapsed?: boolean;
  items?: Item[];
}

export const GUIDES: Item[] = [
  { text: "Client quickstart", link: "/guides/client-quickstart" },
  { text: "Server implementer guide", link: "/guides/server-implementer" },
  { text: "Spec maintainer guide", link: "/guides/spec-maintainer" },
  { text: "Open questions and how the drafts settle them", link: "/guides/open-questions" },
  { text: "Address matching (the addresses preselection field)", link: "/guides/address-matching" },
  { text: "Interval data you can see", link: "/interval-data" },
];

/**
 * One sidebar per part of the site (VitePress matches the longest path
 * prefix), so a page carries the links of its own part, not all 270.
 */
export function sidebar(contract: Contract): Record<string, Item[]> {
  const reference: Item[] = contract.specs.map((spec) => ({
    text: spec.title,
    collapsed: true,
    items: [
      { text: "Overview", link: `/reference/${spec.slug}/` },
      ...operationsOf(spec).map((op) => ({ text: op.operationId, link: `/reference/${spec.slug}/${op.operationId}` })),
    ],
  }));
  const groups = new Map<string, Item[]>();
  for (const model of contract.models) {
    const spec = modelSpec(contract, model);
    groups.set(spec, [...(groups.get(spec) ?? []), { text: model.name, link: `/models/${model.name}` }]);
  }
  const models: Item[] = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([spec, items]) => ({ text: `${spec} models`, collapsed: true, items }));
  const overview: Item[] = [
    { text: "Guides", items: GUIDES },
    { text: "API reference", items: contract.specs.map((spec) => ({ text: spec.title, link: `/reference/${spec.slug}/` })) },
    { text: "Models", link: "/models/" },
    { text: "Conformance: MUST coverage", link: "/conformance/must-coverage" },
    { text: "Errata and decisions", link: "/errata" },
    { text: "Changes", link: "/changes" },
  ];
  return {
    "/reference/": [{ text: "API reference", items: reference }, { text: "Models", link: "/models/" }, { text: "Guides", link: "/guides/client-quickstart" }],
    "/models/": [{ text: "Models", items: [{ text: "All models", link: "/models/" }, ...models] }, { text: "API reference", link: "/reference/cds-wg3-01/" }],
    "/": overview,
  };
}
