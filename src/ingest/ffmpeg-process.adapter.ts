import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { JpegSplitter } from './jpeg-splitter.js';

/**
 * One running ffmpeg that writes JPEG frames to stdout. Frames wait in a short queue until the source asks for
 * them; when the queue is full, either stdout is paused (ffmpeg then blocks on the pipe: a file replay goes
 * exactly as fast as the pipeline takes it) or the oldest frame is dropped (a live camera stays current).
 *
 * Resolution changes: when a camera switches resolution mid-stream, ffmpeg keeps its JPEG encoder at the first
 * size and silently rescales every later picture to it (stretching it when the shape changed too), so the frames
 * would no longer be what the camera sent. The command line therefore ends its filter chain with `showinfo`,
 * which logs the true size of every sampled frame to stderr in output order; each frame waits for its line, and
 * the first frame whose true size differs from the encoder's is discarded and ffmpeg stopped (`'resized'`), so
 * that the source starts a fresh ffmpeg that encodes at the new size.
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
  /**
   * Added to the stall timeout until the first output: connecting and probing the stream (ffmpeg reads up to a few
   * seconds of it, at least to the first key frame, to learn its parameters) take longer than the gap between two
   * frames, and a short stall timeout must not kill every start before it could deliver.
   */
  startupGraceMs?: number;
  /**
   * The arguments make ffmpeg log every sampled frame's size (`showinfo` at level info, lines tagged with their
   * level): frames are then held until their size is known, and a change of size stops ffmpeg.
   */
  frameSizesOnStderr?: boolean;
}

export type StopReason = 'stalled' | 'stopped' | 'resized';

export interface FrameSize {
  width: number;
  height: number;
}

export type FfmpegOutput = { type: 'frame'; bytes: Buffer } | { type: 'problem'; message: string };

export interface FfmpegExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when we stopped it: no frame in time, asked to, or the picture size changed under the encoder. */
  stoppedBecause?: StopReason;
  /** With `stoppedBecause: 'resized'`: the size ffmpeg encoded at, and the camera's new size. */
  resized?: { from: FrameSize; to: FrameSize };
  /** The last lines ffmpeg wrote to stderr, for the error message. */
  stderrTail: string;
  spawnError?: Error;
}

const STDERR_TAIL_CHARS = 2000;
/** A `showinfo` line for one frame: `[Parsed_showinfo_1 @ 0x…] [info] n:   3 pts: … s:768x576 …`. */
const SHOWINFO_FRAME = /\[Parsed_showinfo_\d+ @ [^\]]*\] \[info\] n:\s*\d+ .* s:(\d+)x(\d+) /;
/** `-loglevel level+…` tags each line; only errors belong in the message of a failure. */
const LEVEL_TAG = /\[(trace|debug|verbose|info|warning|error|fatal|panic)\] /;
const REPORTED_LEVELS = new Set(['error', 'fatal', 'panic']);

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
  private stderrLine = '';
  private stoppedBecause: FfmpegExit['stoppedBecause'];
  private resized: FfmpegExit['resized'];
  private stallTimer: NodeJS.Timeout | undefined;
  private sawOutput = false;
  /** Frames cut from stdout, waiting for their size line on stderr; null for one the splitter had to drop. */
  private readonly unsized: (Buffer | null)[] = [];
  /** True sizes of the frames not yet paired with their bytes, in output order. */
  private readonly sizes: FrameSize[] = [];
  private encodedSize: FrameSize | undefined;

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
        // Everything ffmpeg wrote has been read by now ('close' waits for the pipes): frames still waiting for a
        // size line will get none; pass them on rather than lose them.
        if (this.stderrLine) this.onStderrLine(this.stderrLine);
        if (!this.resized) for (const bytes of this.unsized.splice(0)) if (bytes) this.enqueueFrame(bytes);
        resolve({
          code,
          signal,
          stoppedBecause: this.stoppedBecause,
          ...(this.resized ? { resized: this.resized } : {}),
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
      const lines = (this.stderrLine + text).split('\n');
      this.stderrLine = lines.pop()!;
      for (const line of lines) this.onStderrLine(line);
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
  async stop(graceMs = 2000, reason: StopReason = 'stopped'): Promise<FfmpegExit> {
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
    if (!this.sawOutput) {
      this.sawOutput = true;
      if (!this.paused) this.armStallTimer(); // from now on without the start-up grace
    } else if (!this.paused) {
      this.stallTimer?.refresh();
    }
    const { frames, problems } = this.splitter.push(chunk);
    for (const message of problems) this.queue.push({ type: 'problem', message });
    if (this.options.frameSizesOnStderr) {
      // A frame the splitter dropped still had its size line: keep its place so later frames pair correctly.
      for (const message of problems) if (/dropped$/.test(message)) this.unsized.push(null);
      this.unsized.push(...frames);
      this.pairSizes();
    } else {
      for (const bytes of frames) this.enqueueFrame(bytes);
    }
    this.wake();
  }

  private onStderrLine(raw: string): void {
    const line = raw.replace(/\r$/, '');
    const frame = SHOWINFO_FRAME.exec(line);
    if (frame) {
      this.sizes.push({ width: Number(frame[1]), height: Number(frame[2]) });
      this.pairSizes();
      this.wake();
      return;
    }
    const level = LEVEL_TAG.exec(line);
    if (level && !REPORTED_LEVELS.has(level[1]!)) return;
    const text = level ? line.replace(LEVEL_TAG, '') : line;
    this.stderrTail = (this.stderrTail + text + '\n').slice(-STDERR_TAIL_CHARS);
  }

  /** Frame n's bytes go out once showinfo's line n has told its true size. */
  private pairSizes(): void {
    while (this.unsized.length > 0 && this.sizes.length > 0 && !this.resized) {
      const bytes = this.unsized.shift()!;
      const size = this.sizes.shift()!;
      this.encodedSize ??= size;
      if (size.width !== this.encodedSize.width || size.height !== this.encodedSize.height) {
        // This picture and every later one would be rescaled to the old size: keep none of them.
        this.resized = { from: this.encodedSize, to: size };
        this.unsized.length = 0;
        void this.stop(2000, 'resized');
        return;
      }
      if (bytes) this.enqueueFrame(bytes);
    }
  }

  private enqueueFrame(bytes: Buffer): void {
    if (this.options.overflow === 'drop-oldest') {
      while (this.countFrames() >= this.options.queueLength) this.dropOldestFrame();
    }
    this.queue.push({ type: 'frame', bytes });
    if (this.options.overflow === 'pause' && this.countFrames() >= this.options.queueLength) this.pause();
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
    const grace = this.sawOutput ? 0 : (this.options.startupGraceMs ?? 0);
    this.stallTimer = setTimeout(() => void this.stop(2000, 'stalled'), timeout + grace);
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = undefined;
    waiter?.();
  }
}
