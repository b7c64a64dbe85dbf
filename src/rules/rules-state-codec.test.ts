import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCameraRulesState, processFrame, type CameraRulesState } from './engine.js';
import type { RuleEvent } from './rule-events.js';
import {
  decodeRulesState,
  encodeRulesState,
  packScene,
  RulesStateCodecError,
  unpackScene,
  type StoredRulesState,
} from './rules-state-codec.js';
import { expandScenario, parseScenario, replayScenario, scenarioContext, type Scenario } from './scenario.js';

const directory = new URL('../../fixtures/scenarios/', import.meta.url);
const scenarios: Scenario[] = readdirSync(directory)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseScenario(JSON.parse(readFileSync(new URL(f, directory), 'utf8')), f));
const withGrids = scenarios.filter((s) => expandScenario(s).some((f) => f.grid));

/** As the database gives it back: through JSON text, like a jsonb column. */
const stored = (state: CameraRulesState) =>
  JSON.parse(JSON.stringify(encodeRulesState(state))) as StoredRulesState;

describe('the stored rules state', () => {
  it('has scenarios with background grids to test on', () => {
    expect(withGrids.length).toBeGreaterThanOrEqual(10);
  });

  it('comes back exactly as the engine left it, through every scenario with a background model', () => {
    let checked = 0;
    for (const scenario of withGrids) {
      replayScenario(scenario, 'v', (state, _frame, k, last) => {
        // Every third frame and the last: the deep comparison of six 2,304-cell arrays is the slow part.
        if (k % 3 !== 0 && !last) return;
        expect(decodeRulesState(stored(state))).toEqual(state);
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(400);
    // Hundreds of deep comparisons: slow on a busy machine.
  }, 120_000);

  it('lets the engine go on from a stored state with the very same events', () => {
    for (const scenario of withGrids) {
      const ctx = scenarioContext(scenario, 'v');
      let roundTripped = createCameraRulesState();
      const events: RuleEvent[] = [];
      for (const frame of expandScenario(scenario)) {
        const y = processFrame(decodeRulesState(stored(roundTripped)), frame, ctx);
        roundTripped = y.state;
        events.push(...y.events);
      }
      expect(events).toEqual(replayScenario(scenario, 'v').events);
    }
  }, 120_000);

  it('is a fraction of the plain JSON once the background model runs', () => {
    const scenario = withGrids.find((s) => expandScenario(s).length >= 50)!;
    const { state } = replayScenario(scenario, 'v');
    const plain = JSON.stringify(state.scene).length;
    const packed = JSON.stringify(packScene(state.scene!)).length;
    expect(packed).toBeLessThan(plain / 3);
  });

  it('reads rows written before packing as they are', () => {
    const scenario = withGrids[0]!;
    let early = createCameraRulesState();
    replayScenario(scenario, 'v', (state, _frame, k) => {
      if (k === 4) early = state;
    });
    const legacy = JSON.parse(JSON.stringify(early)) as StoredRulesState;
    expect(legacy.scene).not.toBeNull();
    expect(decodeRulesState(legacy)).toEqual(early);
    expect(decodeRulesState(stored(createCameraRulesState()))).toEqual(createCameraRulesState());
  });

  it('refuses a packed background of the wrong size or a cell outside the grid', () => {
    const scene = {
      version: 2 as const,
      width: 2,
      height: 2,
      lastSeq: 1,
      lastAt: 0,
      learning: null,
      learntAt: 0,
      background: [1, -2.5, 3.125, 200.75],
      recent: [1, 30.25, 3.125, 199],
      changedSince: [null, 5, null, null],
      changedSinceSeq: [null, 1, null, null],
      steadySince: [null, 5, null, null],
      prior: [null, 2, null, 7.25],
    };
    const packed = packScene(scene);
    expect(packed.cells).toEqual([
      [1, 5, 1, 2, 5],
      [3, null, null, 7.25, null],
    ]);
    expect(unpackScene(packed)).toEqual(scene);
    expect(() => unpackScene({ ...packed, width: 3 })).toThrow(RulesStateCodecError);
    expect(() => unpackScene({ ...packed, background: 'bm90IGRlZmxhdGVk' })).toThrow(
      /does not inflate|expected/,
    );
    expect(() => unpackScene({ ...packed, cells: [[4, 1, 1, null, null]] })).toThrow(/outside 2x2/);
  });

  it('reads a background model of the earlier single-frame kind as none, so it learns again', () => {
    const state = createCameraRulesState();
    const legacy = {
      ...JSON.parse(JSON.stringify(state)),
      scene: { packed: 1, width: 2, height: 2, lastSeq: 1, lastAt: 0, background: '', cells: [] },
    } as StoredRulesState;
    expect(decodeRulesState(legacy)).toEqual(state);
  });
});
