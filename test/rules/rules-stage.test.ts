import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dedupeKeyFor } from '../../src/evidence/evidence-ids.js';
import { jobIds } from '../../src/queue/jobs.js';
import { createCameraRulesState, processFrame, type CameraRulesState } from '../../src/rules/engine.js';
import { decodeRulesState } from '../../src/rules/rules-state-codec.js';
import { lockRulesState, saveRulesState } from '../../src/rules/rules-state.repo.js';
import { parseScenario, replayScenario } from '../../src/rules/scenario.js';
import { withTransaction } from '../../src/db/pool.js';
import { ProcessMetrics } from '../../src/metrics/process-metrics.adapter.js';
import { parseExposition, valueOf } from '../support/prometheus-text.js';
import { readFileSync } from 'node:fs';
import { loadJudgingConfig } from '../../src/rules/judging-config.repo.js';
import { extractTestFrames, type TestFrames } from '../support/ingest-fixtures.js';
import { createTestContext, seedDistrict, type TestContext } from '../support/test-app.js';
import {
  addDetections,
  addFrame,
  configureCamera,
  eligibleCamera,
  count,
  person,
  stages,
  stallZone,
  T0,
  umbrella,
} from '../support/rules-fixtures.js';

let ctx: TestContext;
let jpegs: TestFrames;

beforeAll(async () => {
  ctx = await createTestContext();
  await seedDistrict(ctx.pool, 'pudong');
  jpegs = await extractTestFrames(8);
});

afterAll(async () => {
  await jpegs?.cleanup();
  await ctx?.close();
});

/** An umbrella set down in the zone from the first frame on, a person walking past; frames 5 s apart. */
function detectionsAt(seq: number) {
  return [umbrella(), person(0.05 * seq)];
}

async function stateOf(
  cameraId: string,
): Promise<{ last_seq: number; state: CameraRulesState; epoch: string }> {
  const { rows } = await ctx.pool.query(
    'select last_seq, state, epoch from camera_rule_state where camera_id = $1',
    [cameraId],
  );
  return { ...rows[0], state: decodeRulesState(rows[0].state) };
}

/** The state the engine reaches applying the frames one by one, in order, from a fresh state. */
async function inOrderState(cameraId: string, version: number, seqs: number[]): Promise<CameraRulesState> {
  const config = await loadJudgingConfig(ctx.pool, cameraId, version);
  let state = createCameraRulesState();
  for (const seq of seqs) {
    state = processFrame(
      state,
      { seq, capturedAt: T0 + (seq - 1) * 5000, detections: detectionsAt(seq) },
      {
        cameraId,
        config: { ...config.rules, frameAspect: 320 / 240 },
        configVersion: String(version),
        zones: config.zones,
      },
    ).state;
  }
  return state;
}

describe('rules stage', () => {
  it('applies frames whose detections finish out of order, by two concurrent handlers, in sequence order', async () => {
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    const version = await configureCamera(ctx.pool, cameraId, [stallZone(randomUUID())]);
    const seqs = [1, 2, 3, 4, 5, 6, 7, 8];
    const frameIds = new Map<number, number>();
    for (const seq of seqs) {
      frameIds.set(
        seq,
        await addFrame(ctx, cameraId, version, {
          seq,
          at: (seq - 1) * 5,
          jpeg: jpegs.jpegs[seq - 1]!,
          detections: null,
        }),
      );
    }
    const { rules } = stages(ctx);
    // Detections finish in this order; two workers take the rules jobs as they come.
    const finished = [3, 1, 2, 6, 5, 8, 4, 7];
    const queue = [...finished];
    const worker = async () => {
      for (let seq = queue.shift(); seq !== undefined; seq = queue.shift()) {
        await addDetections(ctx.pool, frameIds.get(seq)!, detectionsAt(seq));
        await rules.handle({ frameId: frameIds.get(seq)!, cameraId, seq });
      }
    };
    await Promise.all([worker(), worker()]);

    const stored = await stateOf(cameraId);
    expect(stored.last_seq).toBe(8);
    expect(stored.state).toEqual(await inOrderState(cameraId, version, seqs));
    // The umbrella stayed 20 s (dwell) from frame 1: one violation, confirmed on frame 5, with its evidence job.
    const candidates = await ctx.pool.query(
      'select dedupe_key, event, status from violation_candidates where camera_id = $1',
      [cameraId],
    );
    expect(candidates.rows).toHaveLength(1);
    const candidate = candidates.rows[0];
    expect(candidate.status).toBe('pending');
    expect(candidate.event).toMatchObject({
      firstSeenSeq: 1,
      confirmedSeq: 5,
      rule: 'street_stall',
      configVersion: String(version),
    });
    expect(candidate.dedupe_key).toBe(dedupeKeyFor(candidate.event.violationId, stored.epoch));
    expect(await ctx.queues.queue('evidence').getJob(jobIds.evidence(candidate.dedupe_key))).toBeDefined();
    const pinned = await ctx.pool.query(
      'select seq from frames where camera_id = $1 and evidence order by seq',
      [cameraId],
    );
    expect(pinned.rows.map((r) => r.seq)).toEqual([1, 5]);
  });

  it('a retried rules job changes nothing and adds nothing', async () => {
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    const version = await configureCamera(ctx.pool, cameraId, [stallZone(randomUUID())]);
    const { rules } = stages(ctx);
    let lastFrame = 0;
    for (const seq of [1, 2, 3, 4, 5, 6]) {
      lastFrame = await addFrame(ctx, cameraId, version, {
        seq,
        at: (seq - 1) * 5,
        jpeg: jpegs.jpegs[seq - 1]!,
        detections: detectionsAt(seq),
      });
    }
    const first = await rules.handle({ frameId: lastFrame, cameraId, seq: 6 });
    expect(first.applied).toBe(6);
    expect(first.events.map((e) => e.event.type)).toEqual(['violation_started']);
    const before = await stateOf(cameraId);

    const again = await rules.handle({ frameId: lastFrame, cameraId, seq: 6 });
    expect(again).toMatchObject({ applied: 0, events: [], lastSeq: 6 });
    expect(await stateOf(cameraId)).toEqual(before);
    expect(await count(ctx.pool, 'select 1 from violation_candidates where camera_id = $1', [cameraId])).toBe(
      1,
    );
  });

  it('passes over a frame lost in detection after the timeout, and its late detections change nothing', async () => {
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    const version = await configureCamera(ctx.pool, cameraId, [stallZone(randomUUID())]);
    const lost = await addFrame(ctx, cameraId, version, {
      seq: 1,
      at: 0,
      jpeg: jpegs.jpegs[0]!,
      detections: null,
    });
    const second = await addFrame(ctx, cameraId, version, {
      seq: 2,
      at: 5,
      jpeg: jpegs.jpegs[1]!,
      detections: detectionsAt(2),
    });

    const patient = stages(ctx, { gapTimeoutMs: 60_000 }).rules;
    const waiting = await patient.handle({ frameId: second, cameraId, seq: 2 });
    expect(waiting.applied).toBe(0);
    expect(waiting.waitingFor).toMatchObject({ seq: 1 });
    // someone looks again once the wait is over, even if the lost frame's job never comes
    const delayed = await ctx.queues.queue('rules').getDelayed();
    expect(delayed.some((j) => j.data.cameraId === cameraId && j.data.seq === 1)).toBe(true);

    await ctx.pool.query(`update frames set created_at = now() - interval '2 minutes' where id = $1`, [lost]);
    const moved = await patient.handle({ frameId: second, cameraId, seq: 2 });
    expect(moved).toMatchObject({ applied: 1, skipped: 1, lastSeq: 2 });
    const before = await stateOf(cameraId);

    await addDetections(ctx.pool, lost, detectionsAt(1));
    const late = await patient.handle({ frameId: lost, cameraId, seq: 1 });
    expect(late.applied).toBe(0);
    expect(await stateOf(cameraId)).toEqual(before);
  });

  it('passes over frames the intake dropped without waiting', async () => {
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    const version = await configureCamera(ctx.pool, cameraId, [stallZone(randomUUID())]);
    await addFrame(ctx, cameraId, version, {
      seq: 1,
      at: 0,
      jpeg: jpegs.jpegs[0]!,
      detections: null,
      status: 'dropped',
    });
    const second = await addFrame(ctx, cameraId, version, {
      seq: 2,
      at: 5,
      jpeg: jpegs.jpegs[1]!,
      detections: detectionsAt(2),
    });
    const metrics = new ProcessMetrics('rules-worker');
    const result = await stages(ctx, { metrics }).rules.handle({ frameId: second, cameraId, seq: 2 });
    expect(result).toMatchObject({ applied: 1, skipped: 1, lastSeq: 2, waitingFor: null });
    expect((await stateOf(cameraId)).state.rules.lastSeq).toBe(2);
    // both frames were considered; one applied, one passed over as dropped
    const samples = parseExposition((await metrics.exposition()).body);
    expect(valueOf(samples, 'enforcement_stage_frames_in_total', { stage: 'rules' })).toBe(2);
    expect(valueOf(samples, 'enforcement_stage_frames_out_total', { stage: 'rules' })).toBe(1);
    expect(
      valueOf(samples, 'enforcement_stage_frames_dropped_total', { stage: 'rules', reason: 'dropped' }),
    ).toBe(1);
  });

  it('keeps the background model packed in the row and reads it back exact', async () => {
    const file = new URL('../../fixtures/scenarios/dumping-bag-detected.json', import.meta.url);
    const scenario = parseScenario(JSON.parse(readFileSync(file, 'utf8')), 'dumping-bag-detected.json');
    const { state } = replayScenario(scenario, 'v');
    expect(state.scene).not.toBeNull();
    const cameraId = await eligibleCamera(ctx.pool, 'pudong');
    await withTransaction(ctx.pool, async (tx) => {
      await lockRulesState(tx, cameraId);
      await saveRulesState(tx, cameraId, 42, state);
    });
    const raw = await ctx.pool.query(
      `select state->'scene'->>'packed' as packed, length(state::text) as chars from camera_rule_state where camera_id = $1`,
      [cameraId],
    );
    expect(raw.rows[0]).toMatchObject({ packed: '2' });
    expect(raw.rows[0].chars).toBeLessThan(JSON.stringify(state).length / 2);
    const back = await withTransaction(ctx.pool, (tx) => lockRulesState(tx, cameraId));
    expect(back.lastSeq).toBe(42);
    expect(back.state).toEqual(state);
  });
});
