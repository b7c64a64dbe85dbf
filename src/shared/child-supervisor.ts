import { spawn, type ChildProcess } from 'node:child_process';
import type { Writable } from 'node:stream';

/**
 * Keeps a set of child processes running, as compose or systemd would for a plain install: a child that dies is
 * started again, after a pause that doubles while it keeps dying soon after its start (1 s up to 30 s); one that
 * exits 78 (EX_CONFIG: a configuration fault, e.g. Redis holding another instance's jobs) is left stopped, since a
 * restart would only repeat it. Every death is said, with the way it ended.
 */

export const CONFIG_FAULT_EXIT = 78;

export interface ChildSpec {
  name: string;
  command: string;
  args: readonly string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Where the child's stdout and stderr go (one stream per start). */
  log?: () => Writable;
}

export interface SupervisorEvents {
  say: (line: string) => void;
}

export class ChildSupervisor {
  private readonly children = new Map<string, ChildProcess>();
  private readonly restarts = new Map<string, number>();
  private stopping = false;

  constructor(
    private readonly events: SupervisorEvents,
    private readonly firstPauseMs = 1_000,
    private readonly maxPauseMs = 30_000,
  ) {}

  start(spec: ChildSpec, pauseMs = this.firstPauseMs): ChildProcess {
    const startedAt = Date.now();
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = spec.log?.();
    if (log) {
      child.stdout!.pipe(log);
      child.stderr!.pipe(log);
    } else {
      child.stdout!.resume();
      child.stderr!.resume();
    }
    child.on('exit', (code, signal) => {
      if (this.stopping || this.children.get(spec.name) !== child) return;
      const how = signal ?? `code ${code}`;
      if (code === CONFIG_FAULT_EXIT) {
        this.children.delete(spec.name);
        this.events.say(`✘ ${spec.name} stopped (${how}): a configuration fault, not restarted`);
        return;
      }
      const pause = Date.now() - startedAt > 60_000 ? this.firstPauseMs : pauseMs;
      this.events.say(`↻ ${spec.name} died (${how}); restarting it in ${pause / 1000} s`);
      setTimeout(() => {
        if (this.stopping) return;
        this.restarts.set(spec.name, (this.restarts.get(spec.name) ?? 0) + 1);
        this.start(spec, Math.min(pause * 2, this.maxPauseMs));
      }, pause).unref();
    });
    this.children.set(spec.name, child);
    return child;
  }

  /** The running child of that name (a restart replaces it). */
  child(name: string): ChildProcess | undefined {
    return this.children.get(name);
  }

  restartCount(name: string): number {
    return this.restarts.get(name) ?? 0;
  }

  /** Stops one child for good (it is not restarted). */
  async stopOne(name: string, graceMs = 15_000): Promise<void> {
    const child = this.children.get(name);
    this.children.delete(name);
    if (child) await terminate(child, graceMs);
  }

  /** SIGTERM to every child, SIGKILL to those still running after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.children.values()].map((c) => terminate(c, graceMs)));
  }
}

function terminate(c: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    c.once('exit', () => resolve());
    c.kill('SIGTERM');
    setTimeout(() => c.kill('SIGKILL'), graceMs).unref();
  });
}
