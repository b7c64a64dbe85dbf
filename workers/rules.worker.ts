import { startRulesWorker } from '../src/app/rules-worker.js';
import { createRuntime } from '../src/app/runtime.js';

// The rules worker process; its services are composed in src/app/rules-worker.ts.
await startRulesWorker(createRuntime('rules-worker'));
