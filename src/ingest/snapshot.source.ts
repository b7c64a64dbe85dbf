import type { CompiledAccessPolicy } from './access-policy.js';
import { backoffDelay } from './backoff.js';
import { sleep, type CapturedFrame, type SourceDeps, type SourceEvent } from './frame-source.js';
import {
  checkContentType,
  DEFAULT_FRAME_LIMITS,
  validateFrame,
  type FrameLimits,
} from './frame-validation.js';
import { fetchLimited } from './guarded-http.adapter.js';
import { asIngestError, redactUrl } from './ingest-errors.js';
import { PulledSource } from './pulled-source.js';
import type { SnapshotSourceConfig } from './source-config.schema.js';
import type { Resolver } from './url-guard.js';

export interface SnapshotRequest {
  policy: CompiledAccessPolicy;
  limits?: FrameLimits;
  resolver?: Resolver;
  timeoutMs?: number;
  maxRedirects?: number;
  signal?: AbortSignal;
  now?: () => Date;
}

/**
 * Fetches and validates one snapshot. Also what the camera registry calls to test a URL before saving it;
 * every failure is an IngestError with a code.
 */
export async function fetchSnapshot(url: string, request: SnapshotRequest): Promise<CapturedFrame> {
  const limits = request.limits ?? DEFAULT_FRAME_LIMITS;
  const fetched = await fetchLimited(url, limits.maxBytes, {
    policy: request.policy,
    resolver: request.resolver,
    maxRedirects: request.maxRedirects ?? 3,
    timeoutMs: request.timeoutMs ?? 5000,
    accept: 'image/jpeg, image/png',
    signal: request.signal,
  });
  const receivedAt = (request.now ?? (() => new Date()))();
  checkContentType(fetched.contentType, fetched.url.display);
  const frame = await validateFrame(fetched.body, fetched.url.display, limits);
  return {
    bytes: frame.bytes,
    width: frame.width,
    height: frame.height,
    capturedAt: receivedAt,
    receivedAt,
    clock: 'host',
    sourceInfo: { kind: 'snapshot', origin: fetched.url.display, convertedFrom: frame.convertedFrom },
  };
}

/**
 * Polls a snapshot URL every `intervalMs` (measured from the start of one request to the next, so slow cameras
 * do not drift the rate). After failures it waits with back-off instead, so a dead camera is not hammered.
 */
export class SnapshotSource extends PulledSource {
  readonly kind = 'snapshot';

  constructor(
    private readonly config: SnapshotSourceConfig,
    deps: SourceDeps,
  ) {
    super(deps, () => redactUrl(config.url));
  }

  protected async *run(): AsyncGenerator<SourceEvent> {
    const signal = this.closing.signal;
    const now = this.deps.now ?? (() => new Date());
    let failures = 0;
    while (!signal.aborted) {
      const started = Date.now();
      let event: SourceEvent;
      try {
        const frame = await fetchSnapshot(this.config.url, {
          policy: this.deps.policy,
          limits: this.deps.limits,
          resolver: this.deps.resolver,
          timeoutMs: this.config.timeoutMs,
          maxRedirects: this.config.maxRedirects,
          signal,
          now,
        });
        failures = 0;
        event = this.tracker.frame(frame);
      } catch (error) {
        if (signal.aborted) break;
        failures++;
        event = this.tracker.error(asIngestError(error, redactUrl(this.config.url)));
      }
      yield event;
      const wait =
        failures === 0
          ? this.config.intervalMs - (Date.now() - started)
          : Math.max(
              this.config.intervalMs,
              backoffDelay(failures - 1, this.config.reconnect, this.deps.random),
            );
      if (failures > 0) this.tracker.state = 'backoff';
      if (!(await sleep(Math.max(0, wait), signal))) break;
    }
    this.tracker.state = 'closed';
  }
}
