import { availableParallelism } from 'node:os';
import { BatchQueue } from './batch-queue.js';
import type { InferenceUnavailableError } from './detect-errors.js';
import { DEFAULT_CROP_PLAN, planViews, type CropPlanOptions } from './crop-plan.js';
import { greyGrid, type GreyGrid } from './grey-grid.js';
import { filterDetections, type DetectionFilter, type ZoneDetectionFilter } from './detection-filter.js';
import type { Detection, NormalizedBox } from './detection.js';
import {
  cropResized,
  decodeFitted,
  decodeFull,
  DEFAULT_MAX_INPUT_PIXELS,
  type ResizeKernel,
} from './frame-preprocess.adapter.js';
import {
  computeLetterbox,
  inputBoxToFrame,
  letterboxFromResized,
  type Letterbox,
  type PixelRect,
} from './letterbox.js';
import type { ModelManifest, OutputFormat } from './model-manifest.js';
import {
  readModelManifest,
  resolveManifestPath,
  verifyModelFile,
  type ModelLocation,
} from './model-registry.adapter.js';
import { classAwareNms, type ScoredBox } from './nms.js';
import type { InferenceFaults } from './inference-thread.adapter.js';
import { openModelSession, type ModelSession, type SessionPlacement } from './onnx-session.adapter.js';
import { channelTransform, packLetterboxed } from './tensor-pack.js';
import { mergeViewResults } from './view-merge.js';
import { decodeOutput } from './yolo-decoders.js';

export interface DetectorOptions extends ModelLocation {
  /** onnxruntime intra-op threads (default: all cores but one, see defaultInferenceThreads). */
  threads?: number;
  /** Let idle onnxruntime threads spin (default false: they would steal the core decoding the next frame). */
  spinWait?: boolean;
  /** Where inferences run (default `thread`: a worker thread, so the event loop never waits for the model). */
  placement?: SessionPlacement;
  /** Frames with more pixels than this are refused unread (decompression bombs). */
  maxInputPixels?: number;
  /** How zone crops are chosen; see crop-plan.ts. */
  cropPlan?: Partial<CropPlanOptions>;
  resizeKernel?: ResizeKernel;
  /** Faults injected into the inference thread: tests and the chaos run only. */
  faults?: InferenceFaults;
}

export interface DetectorCloseOptions {
  /** Let the detections under way finish first (default true); false refuses those not yet inferring. */
  drain?: boolean;
  /** How long to wait for a run in progress before rejecting with InferenceStuckError. */
  timeoutMs?: number;
}

export interface DetectOptions {
  /** Bounding boxes (normalised) of the camera's active zones: each may add a magnified crop view. */
  crops?: readonly NormalizedBox[];
  /** The camera's filter. */
  filter?: DetectionFilter;
  /** Zone filters that replace the camera's for detections standing in their region. */
  zoneFilters?: readonly ZoneDetectionFilter[];
  /** Lower bound on scores before suppression, instead of the manifest's default. */
  scoreThreshold?: number;
  /** Also return a small greyscale grid of the whole frame, made from the pixels already decoded. */
  grid?: { width: number; height: number };
}

/** Milliseconds spent on one frame, by stage. */
export interface DetectTimings {
  /** Decode and resize in libvips (off the event loop), including the wait for the loop to take the result. */
  decodeMs: number;
  /** Packing pixels into the input tensor. */
  packMs: number;
  /** Waiting for the session while other frames' inferences ran, and the hand-over to its thread and back. */
  queueMs: number;
  /** onnxruntime computing this frame's views (a batch shared with other frames counts whole). */
  inferMs: number;
  /** Output decoding, suppression, merging of views, filtering. */
  postprocessMs: number;
  totalMs: number;
}

export interface DetectResult {
  /** Best first, boxes in normalised coordinates of the frame. */
  detections: Detection[];
  width: number;
  height: number;
  /** The views that ran: the whole frame first, then any zone crops, in frame pixels. */
  views: PixelRect[];
  /** Most images that ran in one inference with this frame's views (its own crops or other waiting frames). */
  batchSize: number;
  /** The greyscale grid asked for with `grid`. */
  grid?: GreyGrid;
  timings: DetectTimings;
}

export interface ModelInfo {
  name: string;
  sha256: string;
  licence: string;
  url: string;
  format: OutputFormat;
  inputWidth: number;
  inputHeight: number;
  maxBatch: number;
  labels: readonly string[];
  threads: number;
  /** Where the session runs: its own worker thread, or the caller's. */
  placement: SessionPlacement;
  manifestPath: string;
  modelPath: string;
  warmupMs: number;
}

export interface Detector {
  readonly model: ModelInfo;
  /**
   * Finds objects in one encoded image (JPEG, PNG, WebP...). Throws FrameDecodeError for bytes that are not an
   * image; the detector stays usable. Concurrent calls share the one session; with a batch-capable model the
   * views waiting behind a running inference go into the next one together.
   */
  detect(image: Buffer, opts?: DetectOptions): Promise<DetectResult>;
  /**
   * Lets the detections under way finish (unless `drain` is false), then releases the session; later calls to
   * detect are refused. Rejects with InferenceStuckError if a run holds the inference thread past `timeoutMs`:
   * the process must then not exit normally while it runs (see docs/detection.md).
   */
  close(options?: DetectorCloseOptions): Promise<void>;
  /**
   * Called once if the session becomes unusable for good (its inference thread died): every detection from
   * then on rejects with InferenceUnavailableError, and the process should exit so that it is restarted.
   */
  onFailure(listener: (err: InferenceUnavailableError) => void): void;
}

interface InferItem {
  input: Float32Array;
}

interface InferResult {
  data: Float32Array;
  /** Milliseconds the batch this item ran in took to compute. */
  runMs: number;
  batchSize: number;
  /** The item's input tensor, usable again once the inference is over. */
  input: Float32Array;
}

/**
 * Frames a detect worker works on at once (BullMQ concurrency; DETECT_CONCURRENCY): enough that the next frames
 * are read and decoded while the model runs, so that it never waits for them (see docs/detection.md, Figures).
 */
export const DEFAULT_DETECT_CONCURRENCY = 3;

/**
 * All cores but one: the spare core decodes and resizes the next frames (libvips) and runs the event loop while
 * onnxruntime computes, which is what lets decoding overlap inference. On the 2-core machine this gave more
 * frames per second end to end with 1 inference thread than with 2 (see docs/detection.md).
 */
export function defaultInferenceThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Loads the model named by `options` (verifying its hash), opens one session and warms it up. */
export async function createDetector(options: DetectorOptions = {}): Promise<Detector> {
  const manifestPath = resolveManifestPath(options);
  const manifest = await readModelManifest(manifestPath);
  const modelPath = await verifyModelFile(manifest, manifestPath);
  const threads = options.threads ?? defaultInferenceThreads();
  const session = await openModelSession(modelPath, manifest, {
    threads,
    spinWait: options.spinWait,
    placement: options.placement,
    faults: options.faults,
  });
  return new OnnxDetector(
    manifest,
    session,
    {
      name: manifest.name,
      sha256: manifest.sha256,
      licence: manifest.licence,
      url: manifest.url,
      format: manifest.output.format,
      inputWidth: manifest.input.width,
      inputHeight: manifest.input.height,
      maxBatch: manifest.input.maxBatch,
      labels: manifest.labels,
      threads,
      placement: session.placement,
      manifestPath,
      modelPath,
      warmupMs: session.warmupMs,
    },
    options,
  );
}

class OnnxDetector implements Detector {
  private readonly queue: BatchQueue<InferItem, InferResult>;
  private readonly transform;
  private readonly decodeOpts;
  private readonly cropPlan: CropPlanOptions;
  /** Input tensors whose inference finished, reused so that each frame does not allocate megabytes anew. */
  private readonly spareInputs: Float32Array[] = [];
  private closed = false;
  /** Detections under way, so that close() lets them finish before the session goes. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly manifest: ModelManifest,
    private readonly session: ModelSession,
    readonly model: ModelInfo,
    options: DetectorOptions,
  ) {
    this.transform = channelTransform(manifest.input);
    this.decodeOpts = {
      maxInputPixels: options.maxInputPixels ?? DEFAULT_MAX_INPUT_PIXELS,
      kernel: options.resizeKernel,
    };
    this.cropPlan = { ...DEFAULT_CROP_PLAN, ...options.cropPlan };
    // With the session on a thread, a second batch waits there so the model never idles for the event loop.
    this.queue = new BatchQueue(
      (items) => this.infer(items),
      manifest.input.maxBatch,
      session.placement === 'thread' ? 2 : 1,
    );
  }

  private async infer(items: InferItem[]): Promise<InferResult[]> {
    const n = items.length;
    const len = this.session.inputLength;
    let input = items[0]!.input;
    if (n > 1) {
      input = new Float32Array(n * len);
      items.forEach((item, i) => input.set(item.input, i * len));
    }
    const out = await this.session.run(input, n);
    const per = out.data.length / n;
    return items.map((item, i) => ({
      data: out.data.subarray(i * per, (i + 1) * per),
      runMs: out.runMs,
      batchSize: n,
      // A single view's own tensor travelled to the session and came back as out.input; a batch sent a copy.
      input: n === 1 ? out.input : item.input,
    }));
  }

  private takeInput(): Float32Array {
    return this.spareInputs.pop() ?? new Float32Array(this.session.inputLength);
  }

  detect(image: Buffer, opts: DetectOptions = {}): Promise<DetectResult> {
    if (this.closed) return Promise.reject(new Error(`detector for model "${this.model.name}" is closed`));
    const work = this.run(image, opts);
    this.inFlight.add(work);
    const forget = () => this.inFlight.delete(work);
    work.then(forget, forget);
    return work;
  }

  private async run(image: Buffer, opts: DetectOptions): Promise<DetectResult> {
    const t0 = performance.now();
    const { input } = this.manifest;
    let width: number;
    let height: number;
    let rects: PixelRect[];
    let boxes: Letterbox[];
    let pixels: Buffer[];
    let gridSource: { rgb: Buffer; width: number; height: number };
    if (!opts.crops?.length) {
      const fitted = await decodeFitted(
        image,
        input.width,
        input.height,
        input.letterboxMode,
        this.decodeOpts,
      );
      ({ width, height } = fitted);
      rects = [{ left: 0, top: 0, width, height }];
      const { resizedWidth: rw, resizedHeight: rh } = fitted;
      boxes = [letterboxFromResized(width, height, rw, rh, input.width, input.height, input.letterboxMode)];
      pixels = [fitted.rgb];
      gridSource = { rgb: fitted.rgb, width: rw, height: rh };
    } else {
      // Crops need the full-size pixels: decode once, then cut and resize every view from them.
      const frame = await decodeFull(image, this.decodeOpts);
      ({ width, height } = frame);
      gridSource = frame;
      rects = planViews(width, height, opts.crops, input.width, input.height, this.cropPlan);
      boxes = rects.map((r) =>
        computeLetterbox(r.width, r.height, input.width, input.height, input.letterboxMode),
      );
      pixels = await Promise.all(rects.map((r, i) => cropResized(frame, r, boxes[i]!, this.decodeOpts)));
    }
    const t1 = performance.now();

    const tensors = pixels.map((px, i) => {
      const tensor = this.takeInput();
      packLetterboxed(px, boxes[i]!, this.transform, tensor);
      return tensor;
    });
    const t2 = performance.now();

    // Settle every view before recycling the tensors: one failed view must not free a tensor still queued.
    const settled = await Promise.allSettled(tensors.map((tensor) => this.queue.push({ input: tensor })));
    for (const [i, s] of settled.entries()) {
      // A tensor sent to a thread whose run failed may not have come back (its buffer is detached: length 0).
      const back = s.status === 'fulfilled' ? s.value.input : tensors[i]!;
      if (this.spareInputs.length < 8 && back.length === this.session.inputLength)
        this.spareInputs.push(back);
    }
    const failed = settled.find((s) => s.status === 'rejected');
    if (failed) throw failed.reason;
    const outputs = settled.map((s) => (s as PromiseFulfilledResult<InferResult>).value);
    const t3 = performance.now();
    // Views of one batch share its output buffer: count each batch's compute time once.
    const runs = new Map(outputs.map((o) => [o.data.buffer, o.runMs]));
    const inferMs = [...runs.values()].reduce((a, b) => a + b, 0);
    const queueMs = Math.max(0, t3 - t2 - inferMs);

    const threshold = opts.scoreThreshold ?? this.manifest.scoreThreshold;
    const { iouThreshold, maxDetections, labels, roles } = this.manifest;
    const views = outputs.map((out, i) => {
      const candidates = decodeOutput(out.data, this.session.anchors, this.session.layout, threshold);
      const kept = classAwareNms(candidates, iouThreshold, maxDetections);
      const rect = rects[i]!;
      const inFrame: ScoredBox[] = [];
      for (const c of kept) {
        const box = inputBoxToFrame(c.x1, c.y1, c.x2, c.y2, boxes[i]!, rect, width, height);
        // A box that lies wholly in the padding maps outside the frame and clamps to nothing.
        if (box.x2 > box.x1 && box.y2 > box.y1)
          inFrame.push({ ...box, score: c.score, classIndex: c.classIndex });
      }
      return { rect, boxes: inFrame };
    });
    const merged = mergeViewResults(views, width, height, iouThreshold, maxDetections);
    const detections: Detection[] = merged.map((b) => ({
      label: labels[b.classIndex]!,
      role: roles[b.classIndex]!,
      score: b.score,
      box: { x1: b.x1, y1: b.y1, x2: b.x2, y2: b.y2 },
    }));
    const filtered =
      opts.filter || opts.zoneFilters
        ? filterDetections(detections, opts.filter, opts.zoneFilters)
        : detections;
    const grid = opts.grid
      ? greyGrid(gridSource.rgb, gridSource.width, gridSource.height, opts.grid.width, opts.grid.height)
      : undefined;
    const t4 = performance.now();

    return {
      detections: filtered,
      width,
      height,
      views: rects,
      batchSize: Math.max(...outputs.map((o) => o.batchSize)),
      ...(grid ? { grid } : {}),
      timings: {
        decodeMs: t1 - t0,
        packMs: t2 - t1,
        queueMs,
        inferMs,
        postprocessMs: t4 - t3,
        totalMs: t4 - t0,
      },
    };
  }

  onFailure(listener: (err: InferenceUnavailableError) => void): void {
    this.session.onFailure(listener);
  }

  async close({ drain = true, timeoutMs }: DetectorCloseOptions = {}): Promise<void> {
    this.closed = true;
    if (drain) await Promise.allSettled(this.inFlight);
    await this.session.close(timeoutMs);
  }
}
