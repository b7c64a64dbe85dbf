import { buildApp } from './app/api.js';
import { createRuntime } from './app/runtime.js';

// The API process: staff pages and API, the review workbench, the public device list and the citizen portal.
const runtime = createRuntime('api');
const app = await buildApp(runtime.appDeps());

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(130);
    closing = true;
    app.log.info({ signal }, 'stopping');
    app
      .close()
      .then(() => runtime.close())
      .then(() => process.exit(0))
      .catch(() => process.exit(1));
  });
}

await app.listen({ host: runtime.config.httpHost, port: runtime.config.httpPort });
