import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/** The detect worker: its model, its inference threads, and fault injection for tests and chaos runs. */
export const detectWorkerSchema = {
  detectModel: Type.String({
    pattern: '^[a-z0-9._-]{0,64}$',
    description: 'DETECT_MODEL: model name under models/ (empty: the default model)',
  }),
  detectThreads: Type.Integer({
    minimum: 0,
    maximum: 256,
    description: 'DETECT_THREADS: onnxruntime threads per inference (0: all cores but one)',
  }),
  detectConcurrency: Type.Integer({
    minimum: 1,
    maximum: 64,
    description: 'DETECT_CONCURRENCY: frames a detect worker has in hand at once',
  }),
  detectCloseTimeoutMs: Type.Integer({
    minimum: 100,
    maximum: 600_000,
    description:
      'DETECT_CLOSE_TIMEOUT_MS: how long a stopping detect worker waits for the inference in progress',
  }),
  detectFaultExitAfterRuns: Type.Integer({
    minimum: 0,
    description:
      'DETECT_FAULT_EXIT_AFTER_RUNS: fault injection (tests, chaos; refused in production): the inference thread ends after this many runs',
  }),
  detectFaultHoldRunMs: Type.Integer({
    minimum: 0,
    maximum: 600_000,
    description:
      'DETECT_FAULT_HOLD_RUN_MS: fault injection (tests, chaos; refused in production): each inference holds its thread this much longer',
  }),
};

export function readDetectWorker(env: EnvReader) {
  const detect = {
    detectModel: env.get('DETECT_MODEL', ''),
    detectThreads: env.int('DETECT_THREADS', 0),
    detectConcurrency: env.int('DETECT_CONCURRENCY', 3),
    detectCloseTimeoutMs: env.int('DETECT_CLOSE_TIMEOUT_MS', 10_000),
    detectFaultExitAfterRuns: env.int('DETECT_FAULT_EXIT_AFTER_RUNS', 0),
    detectFaultHoldRunMs: env.int('DETECT_FAULT_HOLD_RUN_MS', 0),
  };
  if (env.production && (detect.detectFaultExitAfterRuns > 0 || detect.detectFaultHoldRunMs > 0)) {
    throw new ConfigError('DETECT_FAULT_* variables inject faults and are refused in production');
  }
  return detect;
}
