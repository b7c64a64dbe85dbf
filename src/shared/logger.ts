import { pino, type DestinationStream, type Logger } from 'pino';
import { redactingLoggerOptions } from './log-redaction.js';

export type { Logger };

export function createLogger(level: string, name: string, destination?: DestinationStream): Logger {
  // Secrets and personal data never reach the log, whatever a caller passes in.
  const options = { name, level, ...redactingLoggerOptions() };
  return destination ? pino(options, destination) : pino(options);
}
