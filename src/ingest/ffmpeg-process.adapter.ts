import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { JpegSplitter } from './jpeg-splitter.js';

/**
 * One running ffmpeg that writes JPEG frames to stdout. Frames wait in a short queue until the source asks for
 * them; when the queue is full, either stdout is paused (ffmpeg then blocks on the pipe: a file replay goes
 * exactly as fast as the pipeline takes it) or the oldest frame is dropped (a live camera stays current).
 */
export type OverflowPolicy = 'pause' | 'drop-oldest';

export interface FfmpegProcessOptions {
  ffmpegPath: string;
  args: string[];
  /** Fed to ffmpeg's stdin (an HTTP stream body the worker fetched itself). */
  stdin?: Readable;
  maxFrameBytes: number;
  overflow: OverflowPolicy;
  /** Frames held before pausing or dropping. */
  queueLength: number;
  /** Stop ffmpeg when stdout stays silent this long while we are reading (a hung camera). */
  stallTimeoutMs?: number;
}

export type FfmpegOutput = { type: 'frame'; bytes: Buffer } | { type: 'problem'; message: string };

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we stopped it: 'stalled' or 'stopped'. */
  stoppedBecause?: 'stalled' | 'stopped';
  /** The last lines ffmpeg wrote to stderr, for the error message. */
  stderrTail: string;
  spawnError?: Error;
}

const STDERR_TAIL_CHARS = 2000;

export class FfmpegProcess {
  readonly exited: Promise<FfmpegExit>;
  framesDropped = 0;

  private readonly child: ChildProcessByStdio<Writable, Readable, Readable>;
  private readonly splitter: JpegSplitter;
  private readonly queue: FfmpegOutput[] = [];
  private waiter: (() => void) | undefined;
  private ended = false;
  private paused = false;
  private stderrTail = '';
  private stoppedBecause: FfmpegExit['stoppedBecause'];
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(private readonly options: FfmpegProcessOptions) {
    this.splitter = new JpegSplitter(options.maxFrameBytes);
    this.child = spawn(options.ffmpegPath, options.args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let spawnError: Error | undefined;
    this.exited = new Promise((resolve) => {
      const finish = (code: number | null, signal: NodeJS.Signals | null) => {
        if (this.ended) return;
        clearTimeout(this.stallTimer);
        this.ended = true;
        this.wake();
        resolve({
          code,
          signal,
          stoppedBecause: this.stoppedBecause,
          stderrTail: this.stderrTail.trim(),
          spawnError,
        });
      };
      this.child.once('error', (error) => {
        spawnError = error;
        // A process that never started emits no reliable 'close'.
        if (this.child.pid === undefined) finish(null, null);
      });
      this.child.once('close', finish);
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL_CHARS);
    });
    // ffmpeg closing its stdin early (it failed, or we stopped it) is normal, not an error to crash on.
    this.child.stdin.on('error', () => undefined);
    this.child.stdout.on('error', () => undefined);
    if (options.stdin) {
      options.stdin.on('error', () => this.child.stdin.end());
      options.stdin.pipe(this.child.stdin);
    } else {
      this.child.stdin.end();
    }
    this.armStallTimer();
  }

  /** The next frame or problem, or undefined once ffmpeg has exited and everything was read. */
  async next(): Promise<FfmpegOutput | undefined> {
    for (;;) {
      const item = this.queue.shift();
      if (item) {
        if (this.paused && this.queue.length < this.options.queueLength) this.resume();
        return item;
      }
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  async stop(graceMs = 2000, reason: 'stalled' | 'stopped' = 'stopped'): Promise<FfmpegExit> {
    if (!this.ended && this.child.exitCode === null && this.child.signalCode === null) {
      this.stoppedBecause ??= reason;
      // Closing our ends of the pipes unblocks an ffmpeg stuck writing to a paused stdout or waiting on stdin.
      this.child.stdout.destroy();
      this.options.stdin?.unpipe(this.child.stdin);
      this.child.stdin.destroy();
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(killer);
    }
    return this.exited;
  }

  private onData(chunk: Buffer): void {
    if (!this.paused) this.stallTimer?.refresh();
    const { frames, problems } = this.splitter.push(chunk);
    for (const message of problems) this.queue.push({ type: 'problem', message });
    for (const bytes of frames) {
      if (this.options.overflow === 'drop-oldest') {
        while (this.countFrames() >= this.options.queueLength) this.dropOldestFrame();
      }
      this.queue.push({ type: 'frame', bytes });
    }
    if (this.options.overflow === 'pause' && this.countFrames() >= this.options.queueLength) this.pause();
    this.wake();
  }

  private countFrames(): number {
    return this.queue.reduce((n, item) => n + (item.type === 'frame' ? 1 : 0), 0);
  }

  private dropOldestFrame(): void {
    const index = this.queue.findIndex((item) => item.type === 'frame');
    if (index >= 0) {
      this.queue.splice(index, 1);
      this.framesDropped++;
    }
  }

  private pause(): void {
    this.paused = true;
    this.child.stdout.pause();
    // Silence while we hold ffmpeg back is not a stall.
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
  }

  private resume(): void {
    this.paused = false;
    this.child.stdout.resume();
    this.armStallTimer();
  }

  private armStallTimer(): void {
    const timeout = this.options.stallTimeoutMs;
    if (timeout === undefined || this.ended) return;
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => void this.stop(2000, 'stalled'), timeout);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
