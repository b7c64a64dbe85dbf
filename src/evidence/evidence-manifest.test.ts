import { describe, expect, it } from 'vitest';
import { manifestFaults, serializeManifest, sha256Hex, type EvidenceManifest } from './evidence-manifest.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);

function manifest(): EvidenceManifest {
  return {
    format: 'city-enforcement/evidence-manifest@1',
    phase: 'confirm',
    violation: {} as EvidenceManifest['violation'],
    camera: {} as EvidenceManifest['camera'],
    deviceRegister: {} as EvidenceManifest['deviceRegister'],
    config: { cameraVersion: 3, rulesConfigVersion: '3' },
    model: { name: 'yolox-nano', sha256: B },
    frames: [
      {
        role: 'confirmed',
        frameId: 9,
        seq: 5,
        capturedAt: '2026-03-02T02:00:20.000Z',
        timeAdjustment: 'none',
        sha256: A,
        width: 320,
        height: 240,
        model: { name: 'yolox-nano', sha256: B },
        detections: [],
      },
    ],
    items: [
      {
        kind: 'original',
        key: 'evidence/v/original-5.jpg',
        sha256: A,
        byteSize: 100,
        contentType: 'image/jpeg',
        frameSeq: 5,
        role: 'confirmed',
      },
      {
        kind: 'crop',
        key: 'evidence/v/crop-5.jpg',
        sha256: B,
        byteSize: 50,
        contentType: 'image/jpeg',
        frameSeq: 5,
        role: 'confirmed',
      },
    ],
    recheck: null,
    packagedAt: '2026-03-02T02:01:00.000Z',
  };
}

describe('evidence manifest', () => {
  it('serialises to the same bytes for the same manifest, so its hash is stable', () => {
    expect(sha256Hex(serializeManifest(manifest()))).toBe(sha256Hex(serializeManifest(manifest())));
    expect(serializeManifest(manifest()).toString('utf8').endsWith('}\n')).toBe(true);
  });

  it('finds nothing wrong with a whole package', () => {
    const stored = new Map([
      ['evidence/v/original-5.jpg', { sha256: A, byteSize: 100 }],
      ['evidence/v/crop-5.jpg', { sha256: B, byteSize: 50 }],
    ]);
    expect(manifestFaults(manifest(), stored)).toEqual([]);
  });

  it('names every item missing, changed or resized, and an original that is not the captured frame', () => {
    const stored = new Map([['evidence/v/original-5.jpg', { sha256: A, byteSize: 99 }]]);
    expect(manifestFaults(manifest(), stored)).toEqual([
      'evidence/v/original-5.jpg: 99 bytes, the manifest says 100',
      'evidence/v/crop-5.jpg: listed in the manifest but not stored',
    ]);
    const m = manifest();
    m.items[0]!.sha256 = B;
    const faults = manifestFaults(
      m,
      new Map([
        ['evidence/v/original-5.jpg', { sha256: B, byteSize: 100 }],
        ['evidence/v/crop-5.jpg', { sha256: B, byteSize: 50 }],
      ]),
    );
    expect(faults).toEqual(["frame #5: the original's SHA-256 is not the one taken at capture"]);
  });
});
