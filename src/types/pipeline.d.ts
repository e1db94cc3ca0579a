// The config's pipeline (sensor.filters): a module the build makes (scripts/firmware/pipeline.mjs) that imports only the
// filters the config names, as one fused stage (scripts/firmware/stage.mjs).
declare module 'luxgraph:pipeline' {
  /**
   * `pub` through the configured filters: the publisher the writer subscribes to, the same one at each call for the
   * same `pub`; `pub` itself without filters.
   */
  export function pipeline(pub: import('../runtime/publisher').Publisher<import('../runtime/sensor-pub').SensorEvent>): import('../runtime/publisher').Publisher<import('../runtime/sensor-pub').SensorEvent>;
  /** Ends the pipeline: its stage detaches from the source and stops its timers. */
  export function endPipeline(): void;
}
