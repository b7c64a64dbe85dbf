import { watch, type FSWatcher } from 'node:fs';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import { backoffDelay } from './backoff.js';
import { sleep, type SourceDeps, type SourceEvent } from './frame-source.js';
import { DEFAULT_FRAME_LIMITS, validateFrame } from './frame-validation.js';
import { asIngestError, FrameRejectedError } from './ingest-errors.js';
import { PulledSource } from './pulled-source.js';
import type { FolderSourceConfig } from './source-config.schema.js';
import { checkLocalPath } from './url-guard.js';

const IMAGE_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png']);
export const DONE_DIR = 'done';
export const REJECTED_DIR = 'rejected';

interface Candidate {
  name: string;
  size: number;
  mtimeMs: number;
}

/**
 * Images dropped into a folder (cameras that upload by FTP, a batch of stills to replay). A file is taken once
 * it has been left alone for `settleMs`, so a camera still writing it is waited out; uploaders that write to a
 * dot-file or another extension and rename at the end are never seen half-written at all. A file is moved away
 * (or remembered) only when the consumer asks for the next event, i.e. after it has handled this one: a worker
 * that dies mid-frame finds the file still there when it restarts.
 */
export class FolderSource extends PulledSource {
  readonly kind = 'folder';
  private readonly remembered = new Set<string>();
  private wakeUp: (() => void) | undefined;

  constructor(
    private readonly config: FolderSourceConfig,
    deps: SourceDeps,
  ) {
    super(deps, () => config.path);
  }

  protected override onClose(): void {
    this.wakeUp?.();
  }

  protected async *run(): AsyncGenerator<SourceEvent> {
    const signal = this.closing.signal;
    let watcher: FSWatcher | undefined;
    let failures = 0;
    try {
      while (!signal.aborted) {
        let dir: string;
        try {
          dir = await checkLocalPath(this.config.path, this.deps.policy.folderRoots, 'folderRoots');
          watcher ??= this.watchFolder(dir);
          const { ready, nextReadyInMs } = await this.scan(dir);
          failures = 0;
          for (const file of ready) {
            if (signal.aborted) break;
            const event = await this.take(dir, file);
            yield event;
            await this.dispose(dir, file, event.type === 'frame');
          }
          if (ready.length > 0) continue;
          this.tracker.state = 'running';
          await this.waitForChange(Math.min(this.config.scanIntervalMs, nextReadyInMs), signal);
        } catch (error) {
          if (signal.aborted) break;
          yield this.tracker.error(asIngestError(error, this.config.path));
          this.tracker.state = 'backoff';
          const wait = backoffDelay(
            failures++,
            { initialDelayMs: 1000, maxDelayMs: 60_000 },
            this.deps.random,
          );
          if (!(await sleep(Math.max(wait, this.config.scanIntervalMs), signal))) break;
        }
      }
    } finally {
      watcher?.close();
      this.tracker.state = 'closed';
    }
  }

  /** Image files waiting in the folder, in the configured order, and when the next unsettled one will be ready. */
  private async scan(dir: string): Promise<{ ready: Candidate[]; nextReadyInMs: number }> {
    const now = Date.now();
    const ready: Candidate[] = [];
    const present = new Set<string>();
    let nextReadyInMs = Number.POSITIVE_INFINITY;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      if (!IMAGE_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) continue;
      const info = await stat(path.join(dir, entry.name)).catch(() => undefined);
      if (!info) continue;
      const candidate = { name: entry.name, size: info.size, mtimeMs: info.mtimeMs };
      present.add(rememberKey(candidate));
      if (this.remembered.has(rememberKey(candidate))) continue;
      const settlesIn = info.mtimeMs + this.config.settleMs - now;
      if (settlesIn > 0) nextReadyInMs = Math.min(nextReadyInMs, settlesIn + 10);
      else ready.push(candidate);
    }
    // Forget files that are gone, so the memory does not grow with every file ever seen.
    for (const key of this.remembered) if (!present.has(key)) this.remembered.delete(key);
    ready.sort(
      this.config.order === 'mtime'
        ? (a, b) => a.mtimeMs - b.mtimeMs || a.name.localeCompare(b.name)
        : (a, b) => a.name.localeCompare(b.name),
    );
    return { ready, nextReadyInMs };
  }

  private async take(dir: string, file: Candidate): Promise<SourceEvent> {
    const origin = path.join(dir, file.name);
    const limits = this.deps.limits ?? DEFAULT_FRAME_LIMITS;
    try {
      if (file.size > limits.maxBytes) {
        throw new FrameRejectedError(
          'too_large',
          `${origin}: the file has ${file.size} bytes, over ${limits.maxBytes}`,
        );
      }
      const frame = await validateFrame(await readFile(origin), origin, limits);
      return this.tracker.frame({
        bytes: frame.bytes,
        width: frame.width,
        height: frame.height,
        capturedAt: new Date(file.mtimeMs),
        receivedAt: (this.deps.now ?? (() => new Date()))(),
        clock: 'camera',
        sourceInfo: { kind: 'folder', origin: dir, fileName: file.name, convertedFrom: frame.convertedFrom },
      });
    } catch (error) {
      return this.tracker.error(asIngestError(error, origin));
    }
  }

  private async dispose(dir: string, file: Candidate, accepted: boolean): Promise<void> {
    if (this.config.afterRead === 'remember') {
      this.remembered.add(rememberKey(file));
      return;
    }
    const target = path.join(dir, accepted ? DONE_DIR : REJECTED_DIR);
    await mkdir(target, { recursive: true });
    await rename(path.join(dir, file.name), path.join(target, file.name)).catch(
      (error: NodeJS.ErrnoException) => {
        // Someone else took the file meanwhile; there is nothing left to move.
        if (error.code !== 'ENOENT') throw error;
      },
    );
  }

  private watchFolder(dir: string): FSWatcher | undefined {
    try {
      const watcher = watch(dir, { persistent: false }, () => this.wakeUp?.());
      // Watching is only a hint (it misses events on network filesystems); the periodic scan is the truth.
      watcher.on('error', () => undefined);
      return watcher;
    } catch {
      return undefined;
    }
  }

  private async waitForChange(ms: number, signal: AbortSignal): Promise<void> {
    const changed = new Promise<void>((resolve) => (this.wakeUp = resolve));
    await Promise.race([changed, sleep(ms, signal)]);
    this.wakeUp = undefined;
  }
}

function rememberKey(file: Candidate): string {
  return `${file.name}\u0000${file.size}\u0000${file.mtimeMs}`;
}
