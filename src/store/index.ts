/** Storage: the Store interface and the engines behind it. */
export type { Store, ItemSummary, ListQuery, StoredFacts, WriteResult } from './store.js';
export { openPostgresStore, openSqliteStore, openStore } from './open-store.js';
export { KyselyStore, StoreError } from './kysely-store.js';
