import '@tanstack/react-query';

declare module '@tanstack/react-query' {
  interface Register {
    /** `persist: false` keeps a query out of the IndexedDB copy of the cache (src/lib/persist.ts). */
    queryMeta: { persist?: boolean };
    /**
     * How an online write's failure reaches the user (src/lib/query-client.ts, worded by
     * describeWriteFailure in src/lib/errors.ts). Offline writes (answer sync) set none: they retry until
     * they sync, and the sync bar reports them.
     */
    mutationMeta: {
      /**
       * What did not happen, in the write's own words ("Your profile was not saved."); the reason follows.
       * A write needs one to get the app-level notice, which appears away from the control and must say
       * what failed.
       */
      errorMessage?: string;
      /** The write's form shows the failure in place (<WriteError>), so the app-level notice stays quiet. */
      errorInline?: boolean;
      /**
       * The server words this write's refusals (4xx) for people — join_cohort, add_question_editor and the
       * question RPCs — so their message and hint are shown instead of the app's generic reason.
       */
      serverWording?: boolean;
    };
  }
}
