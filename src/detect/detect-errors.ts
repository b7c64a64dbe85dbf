/**
 * Errors of the detection stage. Each names what is wrong and, where one exists, what to do about it, because
 * the people who meet them are operators installing a model or tracing a camera's bad frames, not developers.
 */

/** A manifest that is missing, unreadable or does not describe a usable model. */
export class ModelManifestError extends Error {
  override readonly name = 'ModelManifestError';
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`model manifest ${source} is not valid:\n  - ${problems.join('\n  - ')}`);
  }
}

export type ModelLoadProblem =
  'manifest-missing' | 'model-missing' | 'hash-mismatch' | 'graph-mismatch' | 'runtime';

/** A model file that cannot be used: absent, altered, or a graph that does not match its manifest. */
export class ModelLoadError extends Error {
  override readonly name = 'ModelLoadError';
  constructor(
    readonly problem: ModelLoadProblem,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Bytes that are not a decodable image (corrupt, truncated, an unsupported format, or too many pixels). */
export class FrameDecodeError extends Error {
  override readonly name = 'FrameDecodeError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A model output whose shape does not fit the layout its manifest declares. */
export class ModelOutputError extends Error {
  override readonly name = 'ModelOutputError';
}

/**
 * The inference session is gone for good (its thread died, or it was closed): no frame can be detected until
 * the process starts a new one. A detect worker exits on it so that its supervisor restarts it.
 */
export class InferenceUnavailableError extends Error {
  override readonly name = 'InferenceUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The inference thread did not end within the time allowed for closing: a run is still inside onnxruntime. The
 * thread cannot be stopped from outside without aborting the process (see docs/detection.md), so the caller
 * decides: wait longer, or end the process on purpose (the detect worker kills itself with SIGKILL).
 */
export class InferenceStuckError extends Error {
  override readonly name = 'InferenceStuckError';
}
