import { startIngestWorker } from '../src/app/ingest-worker.js';
import { createRuntime } from '../src/app/runtime.js';

// The ingest worker process; its services are composed in src/app/ingest-worker.ts.
await startIngestWorker(createRuntime('ingest-worker'));
