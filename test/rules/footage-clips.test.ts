import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseClips, scoreClip, type FootageLabel } from '../../scripts/footage/footage-clips.js';
import type { RuleEvent } from '../../src/rules/rule-events.js';
import { rulesConfigWith } from '../../src/zones/rules-config.schema.js';
import { validateRulesConfig, validateZones } from '../../src/zones/zone-validation.js';

/* The labelled real clips parse and are consistent, and the footage evaluation scores violations as it says. */

type Started = Extract<RuleEvent, { type: 'violation_started' }> & { clipSeconds: number };

const box = { x1: 0.4, y1: 0.8, x2: 0.5, y2: 0.9 };
const label: FootageLabel = { rule: 'illegal_dumping', zoneId: 'grass', box, appearedAt: 20, leftAt: 30 };

function started(over: Partial<Started>): Started {
  return {
    type: 'violation_started',
    rule: 'illegal_dumping',
    zoneId: 'grass',
    zoneName: 'grass',
    configVersion: 'v',
    at: 0,
    seq: 1,
    violationId: 'cam:grass:v1',
    trackIds: [],
    labels: ['scene-change'],
    box,
    sceneChange: true,
    firstSeenAt: 0,
    firstSeenSeq: 1,
    confirmedAt: 0,
    confirmedSeq: 1,
    dwellSeconds: 15,
    partyId: null,
    warnFirst: false,
    clipSeconds: 45,
    ...over,
  };
}

describe('the footage clips', () => {
  it('parse, with valid zones and config, and labels that name a zone of their clip', () => {
    const clips = parseClips(
      JSON.parse(readFileSync(new URL('../../fixtures/footage/clips.json', import.meta.url), 'utf8')),
    );
    expect(clips.length).toBeGreaterThanOrEqual(10);
    expect(clips.filter((c) => c.expected.length === 0).length).toBeGreaterThanOrEqual(3);
    for (const clip of clips) {
      expect(validateZones(clip.zones), clip.name).toEqual([]);
      expect(validateRulesConfig(rulesConfigWith(clip.config)), clip.name).toEqual([]);
      for (const l of clip.expected) {
        expect(
          clip.zones.map((z) => z.id),
          clip.name,
        ).toContain(l.zoneId);
        expect(l.leftAt).toBeGreaterThanOrEqual(l.appearedAt);
      }
    }
  });

  it('counts a violation in time and in place, and nothing else', () => {
    const dwell = () => 15;
    // Left at 30 s with a 15 s dwell: in time up to 30 + 15 + 10 = 55 s.
    const onTime = scoreClip(
      [label],
      [started({ clipSeconds: 55, labels: ['bottle', 'scene-change'] })],
      dwell,
    );
    expect(onTime.matched).toMatchObject([{ fromAppearance: 35, fromLeft: 25, detectorLabels: ['bottle'] }]);
    expect(onTime.missed).toEqual([]);
    expect(onTime.spurious).toEqual([]);

    const late = scoreClip([label], [started({ clipSeconds: 56 })], dwell);
    expect(late.missed).toEqual([label]);
    expect(late.spurious).toHaveLength(1);

    const elsewhere = scoreClip([label], [started({ box: { x1: 0, y1: 0, x2: 0.1, y2: 0.1 } })], dwell);
    expect(elsewhere.missed).toHaveLength(1);
    const otherRule = scoreClip([label], [started({ rule: 'street_stall' })], dwell);
    expect(otherRule.missed).toHaveLength(1);
    expect(otherRule.spurious).toMatchObject([{ rule: 'street_stall' }]);

    // Two violations for one object: one matches, the other is false.
    const twice = scoreClip([label], [started({}), started({ clipSeconds: 50 })], dwell);
    expect(twice.matched).toHaveLength(1);
    expect(twice.spurious).toHaveLength(1);
  });
});
