import { startDetectWorker } from '../src/app/detect-worker.js';
import { createRuntime } from '../src/app/runtime.js';

// The detect worker process; its services are composed in src/app/detect-worker.ts.
await startDetectWorker(createRuntime('detect-worker'));
