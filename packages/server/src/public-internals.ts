/** The internal modules the public API (index.ts) wraps; only index.ts imports this. */
export { createServer, type CdsServer } from "./server.js";
export { openDatabase, truncateAll, type Database, type Db } from "./db/index.js";
export { seedDemoData } from "./demo/seed.js";
export { DatabaseCustomerDataSource, storeCustomerData } from "./customer-data/database-source.js";
