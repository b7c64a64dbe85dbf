import type { Logger } from './logger.js';

/**
 * Work that must settle before the process may exit, on any path: an orderly stop, a second signal, a stop past
 * its grace period, an uncaught error, a foreign queue instance. The detect worker registers the closing of its
 * inference thread here: a plain exit while onnxruntime is inside a run tears the thread down and aborts the
 * process (see docs/detection.md).
 */
const beforeExit: Array<() => Promise<void>> = [];

export function registerBeforeExit(work: () => Promise<void>): void {
  beforeExit.push(work);
}

let exiting: number | null = null;

/**
 * Ends the process with `code` once everything registered with registerBeforeExit has settled. If one of them
 * failed (an inference stuck past its bound), the process cannot exit safely and ends itself with SIGKILL, after
 * saying why; the supervisor sees a non-zero status either way. Every exit of a worker process goes through here;
 * the first call decides the status.
 */
export function exitProcess(logger: Logger, code: number): void {
  if (exiting !== null) return;
  exiting = code;
  Promise.all(beforeExit.map((work) => work())).then(
    () => process.exit(code),
    (err: unknown) => {
      logger.fatal({ err }, 'cannot exit safely; ending the process with SIGKILL');
      process.kill(process.pid, 'SIGKILL');
    },
  );
}
