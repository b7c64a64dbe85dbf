import path from 'node:path';
import type { Config } from '../config/config.js';
import type { CompiledAccessPolicy } from '../ingest/access-policy.js';
import type { HandlerSpec } from '../queue/worker-host.js';
import { REPO_ROOT } from '../shared/paths.js';
import { FileCreditPlatform, HttpCreditPlatform, type CreditPlatform } from './credit-platform.adapter.js';
import type { CreditService } from './credit.service.js';

/** The platform the configuration names (CREDIT_PLATFORM), or null when the export is off. */
export function creditPlatformFromConfig(
  config: Config,
  policy: CompiledAccessPolicy,
): CreditPlatform | null {
  if (config.creditPlatform === 'file')
    return new FileCreditPlatform(path.resolve(REPO_ROOT, config.creditExportDir), config.creditExportFormat);
  if (config.creditPlatform === 'http')
    return new HttpCreditPlatform({
      url: config.creditPlatformUrl,
      secret: config.creditPlatformSecret,
      policy,
    });
  return null;
}

/** `credit-sweep`: publish what is due, then send the platform the changes (a failed send is retried next run). */
export function creditSweepHandler(
  credit: CreditService,
  platform: CreditPlatform | null,
): HandlerSpec<'credit-sweep'> {
  return {
    concurrency: 1,
    handle: async () => {
      await credit.publishDue();
      if (platform) await credit.pushChanges(platform);
    },
  };
}
