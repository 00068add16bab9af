/** The built site (VitePress output, base `/docs/`). */
export declare const siteDir: string;
/** Whether `pnpm build` has built the site. */
export declare function siteBuilt(): boolean;
