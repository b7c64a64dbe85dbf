import { startWorkerMetrics } from '../src/metrics/worker-metrics.adapter.js';
import { retryFromConfig } from '../src/notices/delivery-jobs.js';
import { stopOnSignals } from '../src/queue/worker-host.js';
import { createRulesWorker } from '../src/rules/rules-worker-host.js';
import {
  rulesWorkerSettings,
  RulesWorkerSettingsError,
  type RulesWorkerSettings,
} from '../src/rules/rules-worker-settings.js';
import { createRuntime } from '../src/app/runtime.js';

// Rules worker: applies detections to each camera's rules state in frame order, packages the evidence of confirmed
// violations, runs warn-first re-checks and deletes frames past their retention.
let settings: RulesWorkerSettings;
try {
  settings = rulesWorkerSettings();
} catch (err) {
  if (!(err instanceof RulesWorkerSettingsError)) throw err;
  console.error(`configuration error: ${err.message}`);
  process.exit(78);
}
const rt = createRuntime('rules-worker');
const { metrics, close: closeMetrics } = await startWorkerMetrics(rt, 'rules', [
  'rules',
  'evidence',
  'recheck',
  'frame-retention',
]);
const worker = createRulesWorker({
  pool: rt.pool,
  blobs: rt.blobs,
  queues: rt.queues,
  connection: rt.queueRedis,
  logger: rt.logger,
  settings,
  deliveryRetry: retryFromConfig(rt.config),
  metrics,
  lockMs: rt.config.jobLockMs,
});
await rt.claimQueues();
await worker.start();
rt.logger.info({ settings }, 'rules worker started');
stopOnSignals(
  rt.logger,
  () => worker.stop(),
  async () => {
    await closeMetrics();
    await rt.close();
  },
);
