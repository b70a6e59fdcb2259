import '@tanstack/react-query';

declare module '@tanstack/react-query' {
  interface Register {
    /** `persist: false` keeps a query out of the IndexedDB copy of the cache (src/lib/persist.ts). */
    queryMeta: { persist?: boolean };
  }
}
