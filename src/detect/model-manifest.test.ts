import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ModelManifestError } from './detect-errors.js';
import { parseModelManifest, yoloxAnchorCount } from './model-manifest.js';

const shipped = JSON.parse(
  readFileSync(new URL('../../models/yolox-nano.manifest.json', import.meta.url), 'utf8'),
);

function variant(change: (m: typeof shipped) => void): unknown {
  const copy = structuredClone(shipped);
  change(copy);
  return copy;
}

function problemsOf(json: unknown): string[] {
  try {
    parseModelManifest(json, 'test.manifest.json');
  } catch (err) {
    expect(err).toBeInstanceOf(ModelManifestError);
    return [...(err as ModelManifestError).problems];
  }
  throw new Error('expected the manifest to be refused');
}

describe('parseModelManifest', () => {
  it('reads the shipped YOLOX-Nano manifest with its input, output and role mapping', () => {
    const m = parseModelManifest(shipped, 'yolox-nano.manifest.json');
    expect(m.input).toMatchObject({
      name: 'images',
      width: 416,
      height: 416,
      colourOrder: 'bgr',
      maxBatch: 1,
    });
    expect(m.input.letterboxMode).toBe('top-left');
    expect(m.input.padValue).toBe(114);
    expect(m.output).toMatchObject({ name: 'output', format: 'yolox', strides: [8, 16, 32] });
    expect(m.labels).toHaveLength(80);
    const roleOf = (label: string) => m.roles[m.labels.indexOf(label)];
    expect(roleOf('person')).toBe('person');
    expect(roleOf('truck')).toBe('vehicle');
    expect(roleOf('umbrella')).toBe('goods');
    expect(roleOf('diningtable')).toBe('goods');
    expect(roleOf('suitcase')).toBe('carried');
    expect(roleOf('sofa')).toBe('dumping');
    expect(roleOf('giraffe')).toBe('other');
    // Labels that flicker on street furniture, windows and rubbish bags are no dumping proxy (docs/detection.md).
    for (const label of ['bed', 'toilet', 'tvmonitor', 'sink', 'bench'])
      expect(roleOf(label)).not.toBe('dumping');
    expect(yoloxAnchorCount(416, 416, m.output.strides)).toBe(3549);
  });

  it('fills defaults: mean 0, std 1, thresholds, and a batch of 8 for a dynamic batch axis', () => {
    const m = parseModelManifest(
      variant((j) => {
        j.input.shape = [-1, 3, 640, 640];
        delete j.defaults;
      }),
      'x',
    );
    expect(m.input).toMatchObject({ dynamicBatch: true, maxBatch: 8, mean: [0, 0, 0], std: [1, 1, 1] });
    expect([m.scoreThreshold, m.iouThreshold, m.maxDetections]).toEqual([0.25, 0.45, 300]);
  });

  it('names the field of a schema violation', () => {
    const problems = problemsOf(variant((j) => (j.sha256 = 'not-a-hash')));
    expect(problems.join('\n')).toMatch(/\/sha256/);
    expect(problemsOf(variant((j) => (j.output.format = 'yolov3'))).join('\n')).toMatch(/\/output\/format/);
    expect(problemsOf(variant((j) => (j.extra = 1))).join('\n')).toMatch(/extra|additional/i);
  });

  it('refuses roles that name unknown labels or map a label twice', () => {
    const problems = problemsOf(
      variant((j) => {
        j.roles.goods.push('stall');
        j.roles.dumping.push('umbrella');
      }),
    );
    expect(problems).toContain('/roles/goods: "stall" is not one of the model\'s labels');
    expect(problems).toContain('/roles/dumping: "umbrella" is already mapped to role "goods"');
  });

  it('refuses duplicate labels, a fixed batch above 1 and strides that do not tile the input', () => {
    const problems = problemsOf(
      variant((j) => {
        j.labels[1] = 'person';
        j.roles.vehicle = j.roles.vehicle.filter((l: string) => l !== 'bicycle');
        j.input.shape = [4, 3, 420, 420];
      }),
    );
    expect(problems.join('\n')).toMatch(/label "person" appears twice/);
    expect(problems.join('\n')).toMatch(/batch dimension 4 is not supported/);
    expect(problems.join('\n')).toMatch(/stride 8 does not divide the input size 420x420/);
  });

  it('refuses strides on a layout whose boxes come decoded', () => {
    const problems = problemsOf(variant((j) => (j.output.format = 'yolov8')));
    expect(problems.join('\n')).toMatch(/only the "yolox" format uses strides/);
  });
});
