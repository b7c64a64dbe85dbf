import { pino, type Logger } from 'pino';
import { redactingLoggerOptions } from './log-redaction.js';

export type { Logger };

export function createLogger(level: string, name: string): Logger {
  // Secrets and personal data never reach the log, whatever a caller passes in.
  return pino({ name, level, ...redactingLoggerOptions() });
}
