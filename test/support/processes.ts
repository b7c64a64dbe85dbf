import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { REPO_ROOT } from '../../src/shared/paths.js';

/** Helpers for tests that run the real processes and a Redis of their own that they can stop and restart. */

export { freePort, PrivateRedis } from '../../scripts/support/private-redis.js';

/**
 * Every worker a test starts serves its metrics on a free port, so that test files running side by side (or a
 * demo left running) never collide on the deployed defaults 9101-9104.
 */
export const FREE_METRICS_PORTS = {
  INGEST_METRICS_PORT: '0',
  DETECT_METRICS_PORT: '0',
  RULES_METRICS_PORT: '0',
  NOTIFY_METRICS_PORT: '0',
} as const;

/** A process of this project (a worker entry point) with its output kept for assertions. */
export class ProjectProcess {
  output = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(entry: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: REPO_ROOT,
      env: { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'info', ...FREE_METRICS_PORTS, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr!.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = once(this.child, 'exit').then(([code]) => code as number | null);
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  /** Output lines that are not one JSON object each (pino writes nothing else). */
  nonJsonLines(): string[] {
    return this.output
      .split('\n')
      .filter((line) => line.trim() !== '')
      .filter((line) => {
        try {
          return typeof JSON.parse(line) !== 'object';
        } catch {
          return true;
        }
      });
  }
}

export async function waitFor(
  what: string,
  check: () => Promise<boolean> | boolean,
  ms = 60_000,
  context: () => string = () => '',
): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${context().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
