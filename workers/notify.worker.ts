import { startNotifyWorker } from '../src/app/notify-worker.js';
import { createRuntime } from '../src/app/runtime.js';

// The notify worker process; its services are composed in src/app/notify-worker.ts.
await startNotifyWorker(createRuntime('notify-worker'));
