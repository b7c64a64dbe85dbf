import { backoffDelay, type BackoffSettings } from './backoff.js';
import { FfmpegProcess, type FfmpegExit } from './ffmpeg-process.adapter.js';
import { HealthTracker, sleep, type FrameSource, type SourceDeps, type SourceEvent } from './frame-source.js';
import { DEFAULT_FRAME_LIMITS, validateFrame } from './frame-validation.js';
import { openStream, type OpenStream } from './guarded-http.adapter.js';
import type { IngestError } from './ingest-errors.js';
import {
  asIngestError,
  FrameRejectedError,
  redactText,
  redactUrl,
  SourceFailureError,
} from './ingest-errors.js';
import type { FileSourceConfig, StreamSourceConfig } from './source-config.schema.js';
import { checkCameraUrl, checkLocalPath } from './url-guard.js';

/** What ffmpeg reads: a network URL it opens itself, its stdin, or a local file. */
export type FfmpegInput =
  | { type: 'rtsp'; url: string; ioTimeoutMs: number; transport: 'tcp' | 'udp' }
  | { type: 'pipe'; format?: 'mpjpeg' }
  | { type: 'file'; path: string; realtime: boolean; loop: boolean };

/**
 * The ffmpeg command line. Each input gets a protocol whitelist so that nothing inside the stream (a playlist,
 * a redirect, a crafted container) can make ffmpeg open a file or another protocol, and the decoder gets the
 * same pixel limit as still frames. `showinfo` logs the true size of every sampled frame (see FfmpegProcess: a
 * resolution change restarts ffmpeg instead of rescaling), which is why the log level is info with each line
 * tagged by its level; `-fps_mode passthrough` keeps one encoded frame per logged frame.
 */
export function buildFfmpegArgs(input: FfmpegInput, sampleIntervalMs: number, maxPixels: number): string[] {
  const args = ['-hide_banner', '-nostats', '-loglevel', 'level+info', '-threads', '1'];
  args.push('-max_pixels', String(maxPixels));
  switch (input.type) {
    case 'rtsp':
      args.push('-nostdin', '-protocol_whitelist', 'rtsp,rtp,tcp,udp', '-rtsp_transport', input.transport);
      args.push('-timeout', String(input.ioTimeoutMs * 1000), '-i', input.url);
      break;
    case 'pipe':
      args.push('-protocol_whitelist', 'pipe');
      if (input.format) args.push('-f', input.format);
      args.push('-i', 'pipe:0');
      break;
    case 'file':
      args.push('-nostdin', '-protocol_whitelist', 'file');
      if (input.realtime) args.push('-re');
      if (input.loop) args.push('-stream_loop', '-1');
      args.push('-i', input.path);
      break;
  }
  args.push('-an', '-sn', '-dn', '-vf', `fps=1000/${sampleIntervalMs},showinfo`, '-fps_mode', 'passthrough');
  args.push('-f', 'image2pipe', '-c:v', 'mjpeg', '-q:v', '3', 'pipe:1');
  return args;
}

type FfmpegSourceConfig = StreamSourceConfig | FileSourceConfig;

/** Extra time for the first frame after (re)connecting; see FfmpegProcessOptions.startupGraceMs. */
export const STARTUP_GRACE_MS = 10_000;

const DEFAULT_RECONNECT: BackoffSettings = { initialDelayMs: 1000, maxDelayMs: 60_000 };

/**
 * A live stream or a local video through one long-lived ffmpeg. When ffmpeg exits (camera rebooted, network
 * cut, stream stalled) the source reports the error with ffmpeg's last words and starts it again after a
 * back-off; a file replay without `loop` simply ends.
 */
export class FfmpegSource implements FrameSource {
  readonly kind: 'stream' | 'file';
  private readonly tracker: HealthTracker;
  private readonly closing = new AbortController();
  private process: FfmpegProcess | undefined;
  private httpInput: OpenStream | undefined;
  private iterating = false;

  constructor(
    private readonly config: FfmpegSourceConfig,
    private readonly deps: SourceDeps,
  ) {
    this.kind = config.kind;
    this.tracker = new HealthTracker(deps.now ?? (() => new Date()));
  }

  get health() {
    return {
      ...this.tracker.health,
      framesDropped: this.tracker.health.framesDropped + (this.process?.framesDropped ?? 0),
    };
  }

  private get origin(): string {
    return this.config.kind === 'stream' ? redactUrl(this.config.url) : this.config.path;
  }

  /** Stops ffmpeg at once; an iteration in progress ends the next time it asks for an event. */
  async close(): Promise<void> {
    this.closing.abort();
    this.tracker.state = 'closed';
    await this.stopCurrent();
  }

  [Symbol.asyncIterator](): AsyncIterator<SourceEvent> {
    if (this.iterating) throw new Error(`${this.kind} source ${this.origin} is already being read`);
    this.iterating = true;
    return this.run();
  }

  private async *run(): AsyncGenerator<SourceEvent> {
    const signal = this.closing.signal;
    const now = this.deps.now ?? (() => new Date());
    const limits = this.deps.limits ?? DEFAULT_FRAME_LIMITS;
    const interval = this.config.sampleIntervalMs;
    const reconnect = this.config.kind === 'stream' ? this.config.reconnect : DEFAULT_RECONNECT;
    const mediaStart = now().getTime();
    let frameIndex = 0;
    let failures = 0;
    try {
      while (!signal.aborted) {
        this.tracker.state = 'starting';
        let process: FfmpegProcess;
        try {
          process = await this.start(limits.maxPixels, limits.maxBytes);
        } catch (error) {
          if (signal.aborted) break;
          yield this.tracker.error(asIngestError(error, this.origin));
          if (!(await this.backoff(failures++, reconnect, signal))) break;
          continue;
        }
        for (let output = await process.next(); output; output = await process.next()) {
          if (signal.aborted) break;
          if (output.type === 'problem') {
            yield this.tracker.error(new FrameRejectedError('corrupt', `${this.origin}: ${output.message}`));
            continue;
          }
          const receivedAt = now();
          try {
            const frame = await validateFrame(output.bytes, this.origin, { ...limits, verifyDecode: false });
            const isFile = this.config.kind === 'file';
            const mediaTimeMs = frameIndex++ * interval;
            failures = 0;
            yield this.tracker.frame({
              bytes: frame.bytes,
              width: frame.width,
              height: frame.height,
              capturedAt: isFile ? new Date(mediaStart + mediaTimeMs) : receivedAt,
              receivedAt,
              clock: isFile ? 'media' : 'host',
              sourceInfo: { kind: this.kind, origin: this.origin, ...(isFile ? { mediaTimeMs } : {}) },
            });
          } catch (error) {
            yield this.tracker.error(asIngestError(error, this.origin));
          }
        }
        const exit = await process.exited;
        this.closeHttpInput();
        if (signal.aborted) break;
        if (exit.stoppedBecause === 'resized' && exit.resized) {
          // Not a failure: the camera's picture changed size. Start again at once so frames keep their own size.
          const { from, to } = exit.resized;
          this.tracker.health.resolutionChanges++;
          this.tracker.health.lastResolutionChange = { from, to, at: now() };
          this.tracker.health.restarts++;
          continue;
        }
        const failure = exitFailure(exit, this.origin);
        if (failure) yield this.tracker.error(failure);
        if (this.config.kind === 'file' && !this.config.loop) {
          this.tracker.state = 'ended';
          return;
        }
        if (!failure) {
          yield this.tracker.error(
            new SourceFailureError('stream_failed', `${this.origin}: the stream ended; reconnecting`),
          );
        }
        this.tracker.health.restarts++;
        if (!(await this.backoff(failures++, reconnect, signal))) break;
      }
    } finally {
      await this.stopCurrent();
      if (this.tracker.health.state !== 'ended') this.tracker.state = 'closed';
    }
  }

  /** Checks the URL or path again on every (re)start: DNS and files change while a camera runs. */
  private async start(maxPixels: number, maxFrameBytes: number): Promise<FfmpegProcess> {
    const policy = this.deps.policy;
    const live = this.config.kind === 'stream';
    let input: FfmpegInput;
    if (this.config.kind === 'file') {
      const path = await checkLocalPath(this.config.path, policy.localFileRoots, 'localFileRoots');
      input = { type: 'file', path, realtime: this.config.replay === 'realtime', loop: this.config.loop };
    } else {
      const checked = await checkCameraUrl(this.config.url, policy, {
        schemes: ['rtsp', 'http', 'https', 'file'],
        resolver: this.deps.resolver,
      });
      if (checked.scheme === 'file') {
        input = { type: 'file', path: checked.path, realtime: true, loop: false };
      } else if (checked.scheme === 'rtsp') {
        // ffmpeg resolves names itself; handing it the checked address leaves nothing to rebind.
        const pinned = new URL(checked.url);
        const first = checked.addresses[0]!;
        pinned.hostname = first.family === 6 ? `[${first.address}]` : first.address;
        input = {
          type: 'rtsp',
          url: pinned.toString(),
          ioTimeoutMs: this.config.stallTimeoutMs,
          transport: this.config.transport ?? 'tcp',
        };
      } else {
        // HTTP streams are fetched by the guarded client and piped in, so redirects are checked like snapshots.
        this.httpInput = await openStream(this.config.url, {
          policy,
          resolver: this.deps.resolver,
          maxRedirects: 3,
          timeoutMs: Math.min(this.config.stallTimeoutMs, 15_000),
          accept: '*/*',
          signal: this.closing.signal,
        });
        const contentType = String(this.httpInput.response.headers['content-type'] ?? '');
        input = { type: 'pipe', format: contentType.startsWith('multipart/') ? 'mpjpeg' : undefined };
      }
    }
    this.foldDroppedFrames();
    this.process = new FfmpegProcess({
      ffmpegPath: this.deps.ffmpegPath ?? 'ffmpeg',
      args: buildFfmpegArgs(input, this.config.sampleIntervalMs, maxPixels),
      stdin: this.httpInput?.response,
      maxFrameBytes,
      overflow: live ? 'drop-oldest' : 'pause',
      queueLength: 2,
      stallTimeoutMs: live ? this.config.stallTimeoutMs : undefined,
      startupGraceMs: STARTUP_GRACE_MS,
      frameSizesOnStderr: true,
    });
    return this.process;
  }

  private async backoff(attempt: number, settings: BackoffSettings, signal: AbortSignal): Promise<boolean> {
    this.tracker.state = 'backoff';
    return sleep(backoffDelay(attempt, settings, this.deps.random), signal);
  }

  private async stopCurrent(): Promise<void> {
    await this.process?.stop();
    this.closeHttpInput();
  }

  private foldDroppedFrames(): void {
    if (!this.process) return;
    this.tracker.health.framesDropped += this.process.framesDropped;
    this.process.framesDropped = 0;
  }

  private closeHttpInput(): void {
    this.httpInput?.close();
    this.httpInput = undefined;
  }
}

/** Why ffmpeg's exit is a failure, or undefined for a clean end of input. */
function exitFailure(exit: FfmpegExit, origin: string): IngestError | undefined {
  const tail = exit.stderrTail ? `: ${redactText(exit.stderrTail.split('\n').slice(-3).join(' | '))}` : '';
  if (exit.spawnError) {
    return new SourceFailureError(
      'stream_failed',
      `${origin}: cannot start ffmpeg (${exit.spawnError.message})`,
    );
  }
  if (exit.stoppedBecause === 'stalled') {
    return new SourceFailureError('stalled', `${origin}: no frame arrived in time; restarting ffmpeg${tail}`);
  }
  if (exit.code === 0) return undefined;
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  return new SourceFailureError('stream_failed', `${origin}: ffmpeg ${how}${tail}`);
}
