// The config's pipeline (sensor.filters): a module the build makes (scripts/pipeline.mjs) that imports only the
// operators the config names.
declare module 'luxgraph:pipeline' {
  /**
   * `pub` through the configured filters: the publisher the writer subscribes to, the same one at each call for the
   * same `pub`; `pub` itself without filters.
   */
  export function pipeline(pub: import('../runtime/publisher').Publisher<any>): import('../runtime/publisher').Publisher<any>;
  /** Ends the pipeline: its operators detach from the source and stop their timers. */
  export function endPipeline(): void;
}
