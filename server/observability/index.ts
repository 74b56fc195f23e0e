// Health, readiness and Prometheus metrics.
export {
  createMetrics,
  type JobEventSource,
  type Metrics,
  type MetricsOptions,
  type QueueDepthSource,
  registerTranscriptGauges,
} from './metrics.js';
export { observabilityPlugin, type ObservabilityOptions, type ReadinessCheck } from './plugin.js';
