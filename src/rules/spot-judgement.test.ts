import { describe, expect, it } from 'vitest';
import type { Detection } from '../detect/detection.js';
import { DEFAULT_RULES_CONFIG } from '../zones/rules-config.schema.js';
import { dumpingZone, noStallZone, rectangle, shopFrontZone } from './scene.fixtures.js';
import { spotJudgement } from './spot-judgement.js';

const AT = Date.parse('2026-05-06T02:00:00Z'); // 10:00 in Shanghai

function det(
  label: string,
  role: Detection['role'],
  x1: number,
  y1: number,
  x2: number,
  y2: number,
  score = 0.8,
) {
  return { label, role, score, box: { x1, y1, x2, y2 } } satisfies Detection;
}

describe('spotJudgement', () => {
  it('flags goods inside a no-stall zone and leaves people, goods outside and weak detections out', () => {
    const result = spotJudgement(
      [noStallZone()],
      [
        det('diningtable', 'goods', 0.2, 0.6, 0.35, 0.8),
        det('person', 'person', 0.4, 0.5, 0.45, 0.9),
        det('diningtable', 'goods', 0.7, 0.05, 0.8, 0.2), // outside
        det('chair', 'goods', 0.2, 0.6, 0.3, 0.7, 0.1), // below the zone's minimum score
        det('car', 'vehicle', 0.2, 0.5, 0.5, 0.9), // a role the zone does not watch
      ],
      DEFAULT_RULES_CONFIG,
      AT,
    );
    expect(result.zones).toHaveLength(1);
    const [zone] = result.zones;
    expect(zone).toMatchObject({ zoneId: 'gate', kind: 'no_stall', active: true, flagged: true });
    expect(zone!.objects.map((o) => o.label)).toEqual(['diningtable']);
    expect(result.counts).toEqual({ diningtable: 2, person: 1, chair: 1, car: 1 });
  });

  it('does not count goods a person carries, nor what an ignore zone masks', () => {
    const ignore = {
      ...noStallZone({ id: 'mask', name: 'Bus stop' }),
      kind: 'ignore' as const,
      points: rectangle(0.45, 0.4, 0.6, 0.95),
    };
    const result = spotJudgement(
      [noStallZone(), ignore],
      [
        det('person', 'person', 0.15, 0.4, 0.35, 0.95),
        det('handbag', 'goods', 0.2, 0.6, 0.25, 0.7), // inside the person's box: carried
        det('chair', 'goods', 0.47, 0.6, 0.55, 0.8), // under the ignore mask
      ],
      DEFAULT_RULES_CONFIG,
      AT,
    );
    expect(result.zones.map((z) => z.zoneId)).toEqual(['gate']);
    expect(result.zones[0]).toMatchObject({ objects: [], flagged: false });
  });

  it('counts goods beyond a shop front line only, by their foot point', () => {
    const result = spotJudgement(
      [shopFrontZone('party-3')],
      [
        det('chair', 'goods', 0.7, 0.6, 0.8, 0.75), // well beyond the line (y = 0.5) on the sidewalk
        det('pottedplant', 'goods', 0.85, 0.42, 0.9, 0.51), // foot within the allowed depth
      ],
      DEFAULT_RULES_CONFIG,
      AT,
    );
    expect(result.zones[0]!.objects.map((o) => o.label)).toEqual(['chair']);
    expect(result.zones[0]!.flagged).toBe(true);
  });

  it('watches dumping and carried roles in a dumping spot, and a zone outside its schedule is not flagged', () => {
    const off = dumpingZone({
      id: 'night',
      schedule: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '22:00', end: '23:00' }],
    });
    const bag = det('suitcase', 'carried', 0.2, 0.6, 0.3, 0.8);
    const result = spotJudgement([dumpingZone(), off], [bag], DEFAULT_RULES_CONFIG, AT);
    expect(result.zones[0]).toMatchObject({ zoneId: 'spot', active: true, flagged: true });
    expect(result.zones[0]!.objects).toEqual([bag]);
    expect(result.zones[1]).toMatchObject({ zoneId: 'night', active: false, flagged: false });
    expect(result.zones[1]!.objects).toHaveLength(1);
  });

  it('a disabled zone lists what it holds but is not flagged; no zones give no results', () => {
    const result = spotJudgement(
      [noStallZone({ enabled: false })],
      [det('chair', 'goods', 0.2, 0.6, 0.3, 0.8)],
      DEFAULT_RULES_CONFIG,
      AT,
    );
    expect(result.zones[0]).toMatchObject({ active: false, flagged: false });
    expect(spotJudgement([], [], DEFAULT_RULES_CONFIG, AT)).toEqual({ zones: [], counts: {} });
  });
});
