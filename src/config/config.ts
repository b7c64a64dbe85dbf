import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AlertsSchema, readAlerts } from './alerts.js';
import { CameraAccessSchema, readCameraAccess } from './camera-access.js';
import { caseReviewSchema, readCaseReview } from './case-review.js';
import { databaseSchema, readDatabase } from './database.js';
import { detectWorkerSchema, readDetectWorker } from './detect-worker.js';
import { documentsSchema, readDocuments } from './documents.js';
import { creditSchema, readCredit } from './credit.js';
import { ConfigError, envReader, type Environment } from './env.js';
import { hotlineSchema, readHotline } from './hotline.js';
import { metricsSchema, readMetrics } from './metrics.js';
import { notifyWorkerSchema, readNotifyWorker } from './notify-worker.js';
import { paymentsSchema, readPayments } from './payments.js';
import { portalSchema, readPortal } from './portal.js';
import { queuesSchema, readQueues } from './queues.js';
import { readRulesWorker, RulesWorkerSchema } from './rules-worker.js';
import { readScreen, screenSchema } from './screen.js';
import { readServer, serverSchema } from './server.js';
import { readStaffAuth, staffAuthSchema } from './staff-auth.js';
import { readStorage, storageSchema } from './storage.js';
import { readVoiceCall, voiceCallSchema } from './voice-call.js';

export { ConfigError } from './env.js';

/**
 * Process configuration, read once from the environment at start-up, one section per file beside this one.
 * Every field has a working default for a local machine (Postgres and Redis on 127.0.0.1) so that a fresh
 * checkout runs; a bad value stops the process with a message naming the variable. Settings every process
 * reads are flat fields; those handed whole to one part of one process are nested (rulesWorker, cameraAccess).
 */
const ConfigSchema = Type.Object({
  ...serverSchema,
  ...databaseSchema,
  ...queuesSchema,
  ...storageSchema,
  ...staffAuthSchema,
  ...portalSchema,
  ...paymentsSchema,
  ...hotlineSchema,
  ...notifyWorkerSchema,
  ...documentsSchema,
  ...detectWorkerSchema,
  ...metricsSchema,
  ...caseReviewSchema,
  ...screenSchema,
  ...creditSchema,
  ...voiceCallSchema,
  rulesWorker: RulesWorkerSchema,
  cameraAccess: CameraAccessSchema,
  alerts: AlertsSchema,
});

export type Config = Static<typeof ConfigSchema>;

export function loadConfig(env: Environment = process.env): Config {
  const e = envReader(env);
  const server = readServer(e);
  const raw = {
    ...server,
    ...readStaffAuth(e, server),
    ...readPayments(e, server),
    ...readHotline(e),
    ...readDatabase(e),
    ...readQueues(e),
    ...readStorage(e),
    ...readPortal(e),
    ...readNotifyWorker(e),
    ...readDocuments(e),
    ...readDetectWorker(e),
    ...readMetrics(e),
    ...readCaseReview(e),
    ...readScreen(e),
    ...readCredit(e),
    ...readVoiceCall(e),
    rulesWorker: readRulesWorker(e),
    cameraAccess: readCameraAccess(e),
    alerts: readAlerts(e),
  };
  const firstError = Value.Errors(ConfigSchema, raw).First();
  if (firstError) {
    throw new ConfigError(
      `invalid configuration: ${variableAt(firstError.path)} = ${JSON.stringify(firstError.value)} (${firstError.message})`,
    );
  }
  return raw as Config;
}

/** The variable behind a field (`/httpPort`, `/rulesWorker/gapTimeoutSeconds`): its description up to ':'. */
function variableAt(path: string): string {
  let schema: TSchema | undefined = ConfigSchema;
  let variable: string | undefined;
  for (const part of path.split('/').filter(Boolean)) {
    schema = (schema?.properties as Record<string, TSchema> | undefined)?.[part];
    variable = (schema?.description as string | undefined)?.split(':')[0] ?? variable;
  }
  return variable ?? path.replace(/^\//, '');
}

/** For process entry points: print the reason and exit instead of throwing a stack trace at an operator. */
export function loadConfigOrExit(env: Environment = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`configuration error: ${err.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}
