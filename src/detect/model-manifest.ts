import { Value } from '@sinclair/typebox/value';
import type { DetectionRole } from './detection.js';
import { ModelManifestError } from './detect-errors.js';
import { ModelManifestSchema, type ModelManifestJson } from './model-manifest.schema.js';

export type OutputFormat = ModelManifestJson['output']['format'];
export type LetterboxMode = ModelManifestJson['input']['letterbox']['mode'];
export type ColourOrder = ModelManifestJson['input']['colourOrder'];

/** A validated manifest with every default filled in, in the shape the detector works with. */
export interface ModelManifest {
  name: string;
  description: string;
  file: string;
  sha256: string;
  url: string;
  licence: string;
  input: {
    name: string;
    width: number;
    height: number;
    /** True when the graph's batch dimension is dynamic, so several frames or crops may run together. */
    dynamicBatch: boolean;
    /** Most images per inference: 1 for a fixed-batch graph. */
    maxBatch: number;
    colourOrder: ColourOrder;
    multiplier: number;
    mean: readonly [number, number, number];
    std: readonly [number, number, number];
    letterboxMode: LetterboxMode;
    padValue: number;
  };
  output: {
    name: string;
    format: OutputFormat;
    strides: readonly number[];
    scoresActivated: boolean;
  };
  labels: readonly string[];
  /** Role of each class, by class index. */
  roles: readonly DetectionRole[];
  scoreThreshold: number;
  iouThreshold: number;
  maxDetections: number;
}

const MAPPED_ROLES = ['person', 'vehicle', 'goods', 'carried', 'dumping'] as const;

/**
 * Checks a parsed manifest file against the schema and for the mistakes a schema cannot see (duplicate labels,
 * roles naming labels the model does not have, strides that do not tile the input). `source` names the file in
 * error messages.
 */
export function parseModelManifest(json: unknown, source: string): ModelManifest {
  if (!Value.Check(ModelManifestSchema, json)) {
    const problems = [...Value.Errors(ModelManifestSchema, json)]
      .slice(0, 12)
      .map((e) => `${e.path || '(root)'}: ${e.message}`);
    throw new ModelManifestError(source, problems);
  }
  const m: ModelManifestJson = json;
  const problems: string[] = [];

  const labelIndex = new Map<string, number>();
  m.labels.forEach((label, i) => {
    if (labelIndex.has(label)) problems.push(`/labels/${i}: label "${label}" appears twice`);
    else labelIndex.set(label, i);
  });

  const roles: DetectionRole[] = m.labels.map(() => 'other');
  const roleOfLabel = new Map<string, DetectionRole>();
  for (const role of MAPPED_ROLES) {
    for (const label of m.roles[role]) {
      const index = labelIndex.get(label);
      const earlier = roleOfLabel.get(label);
      if (index === undefined) problems.push(`/roles/${role}: "${label}" is not one of the model's labels`);
      else if (earlier) problems.push(`/roles/${role}: "${label}" is already mapped to role "${earlier}"`);
      else {
        roleOfLabel.set(label, role);
        roles[index] = role;
      }
    }
  }

  const [batch, , height, width] = m.input.shape;
  if (batch === 0 || batch > 1) {
    problems.push(
      `/input/shape/0: batch dimension ${batch} is not supported; use 1, or -1 for a graph with a dynamic batch axis`,
    );
  }
  const strides = m.output.strides ?? [8, 16, 32];
  if (m.output.format === 'yolox') {
    for (const s of strides) {
      if (width % s !== 0 || height % s !== 0) {
        problems.push(`/output/strides: stride ${s} does not divide the input size ${width}x${height}`);
      }
    }
  } else if (m.output.strides) {
    problems.push(
      `/output/strides: only the "yolox" format uses strides; "${m.output.format}" boxes are decoded`,
    );
  }
  if (problems.length > 0) throw new ModelManifestError(source, problems);

  const dynamicBatch = batch === -1;
  return {
    name: m.name,
    description: m.description,
    file: m.file,
    sha256: m.sha256,
    url: m.url,
    licence: m.licence,
    input: {
      name: m.input.name,
      width,
      height,
      dynamicBatch,
      maxBatch: dynamicBatch ? (m.input.maxBatch ?? 8) : 1,
      colourOrder: m.input.colourOrder,
      multiplier: m.input.scaling.multiplier,
      mean: m.input.scaling.mean ?? [0, 0, 0],
      std: m.input.scaling.std ?? [1, 1, 1],
      letterboxMode: m.input.letterbox.mode,
      padValue: m.input.letterbox.padValue,
    },
    output: {
      name: m.output.name,
      format: m.output.format,
      strides,
      scoresActivated: m.output.scoresActivated,
    },
    labels: m.labels,
    roles,
    scoreThreshold: m.defaults?.scoreThreshold ?? 0.25,
    iouThreshold: m.defaults?.iouThreshold ?? 0.45,
    maxDetections: m.defaults?.maxDetections ?? 300,
  };
}

/** Number of anchors a YOLOX grid of these strides yields for an input of this size. */
export function yoloxAnchorCount(width: number, height: number, strides: readonly number[]): number {
  return strides.reduce((sum, s) => sum + (width / s) * (height / s), 0);
}
