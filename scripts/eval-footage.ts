/*
 * The rules on real footage, end to end: each labelled clip of fixtures/footage/clips.json (a sample video, or a
 * scene composed onto one with real objects cut from the sample videos) is replayed as a file camera through
 * the real ingest source (ffmpeg, sampled), the real detector (YOLOX-Nano with the zone crops, and the grid for
 * the background model) and the real rules engine; the violations it starts are scored against the labels.
 *
 *   npm run eval:footage                   per violation type: precision, recall, time from appearance (and
 *                                           from the object being left) to the review task, and false
 *                                           violations per camera-hour on the clips without a violation
 *   npm run eval:footage -- --clip NAME     only that clip (repeatable)
 *   npm run eval:footage -- --verbose       every violation and each frame's detections and regions
 *
 * A violation that needs no warning goes to review on the frame that confirms it, so its capture time is when
 * the review task is due; the time from appearance is measured on the capture clock.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { cameraDetectConfig } from '../src/detect/camera-detect-config.js';
import { createDetector, type Detector } from '../src/detect/detector.service.js';
import { compileAccessPolicy } from '../src/ingest/access-policy.js';
import { createSource } from '../src/ingest/create-source.js';
import { createCameraRulesState, processFrame } from '../src/rules/engine.js';
import { RULE_NAMES, type RuleEvent, type RuleName } from '../src/rules/rule-events.js';
import { REPO_ROOT } from '../src/shared/paths.js';
import { rulesConfigWith } from '../src/zones/rules-config.schema.js';
import { zoneSettings } from '../src/zones/zone-settings.js';
import { validateRulesConfig, validateZones } from '../src/zones/zone-validation.js';
import { ensureAssets } from './assets.js';
import { parseClips, scoreClip, type ClipOutcome, type FootageClip } from './footage/footage-clips.js';

const run = promisify(execFile);
const { values: args } = parseArgs({
  options: {
    clip: { type: 'string', multiple: true },
    verbose: { type: 'boolean', default: false },
  },
});

type Started = Extract<RuleEvent, { type: 'violation_started' }> & { clipSeconds: number };

/** The clip's video: the sample itself, or the composed scene, made once and kept by the hash of its recipe. */
async function clipVideo(clip: FootageClip, sourcePath: string, sourceSha: string): Promise<string> {
  if (!clip.compose) return sourcePath;
  const inputs = clip.compose.inputs.map((p) => path.join(REPO_ROOT, p));
  const hash = createHash('sha256').update(JSON.stringify({ compose: clip.compose, sourceSha }));
  for (const input of inputs) hash.update(await readFile(input));
  const dir = path.join(os.tmpdir(), 'city-enforcement-footage');
  const out = path.join(dir, `${clip.name}-${hash.digest('hex').slice(0, 12)}.mp4`);
  if (existsSync(out)) return out;
  await mkdir(dir, { recursive: true });
  await run('ffmpeg', [
    ...['-hide_banner', '-loglevel', 'error', '-y', '-i', sourcePath],
    ...inputs.flatMap((i) => ['-loop', '1', '-i', i]),
    ...['-filter_complex', clip.compose.filter, '-map', '[out]', '-an', '-shortest'],
    ...['-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-crf', String(clip.compose.crf)],
    `${out}.tmp.mp4`,
  ]);
  await rename(`${out}.tmp.mp4`, out);
  return out;
}

interface ClipRun {
  clip: FootageClip;
  outcome: ClipOutcome;
  seconds: number;
  frames: number;
}

async function runClip(clip: FootageClip, video: string, detector: Detector): Promise<ClipRun> {
  const config = rulesConfigWith(clip.config);
  const faults = [...validateZones(clip.zones).map((f) => f.message), ...validateRulesConfig(config)];
  if (faults.length > 0) throw new Error(`clip ${clip.name}: ${faults.join('; ')}`);
  const source = createSource(
    {
      kind: 'file',
      path: video,
      sampleIntervalMs: clip.sampleSeconds * 1000,
      replay: 'as-fast',
      loop: false,
    },
    { policy: compileAccessPolicy({ localFileRoots: [path.dirname(video)] }) },
  );
  const ctx = { cameraId: clip.name, config, configVersion: 'footage', zones: clip.zones };
  let state = createCameraRulesState();
  let seq = 0;
  let seconds = 0;
  const started: Started[] = [];
  for await (const event of source) {
    if (event.type === 'error') {
      if (event.error.code !== 'stream_failed') console.warn(`${clip.name}: ${event.error.message}`);
      continue;
    }
    const frame = event.frame;
    seq++;
    seconds = (frame.sourceInfo.mediaTimeMs ?? 0) / 1000;
    const at = frame.capturedAt.getTime();
    const found = await detector.detect(frame.bytes, {
      ...cameraDetectConfig(clip.zones, {}, at),
      grid: { width: config.sceneChange.gridWidth, height: config.sceneChange.gridHeight },
    });
    const result = processFrame(
      state,
      { seq, capturedAt: at, detections: found.detections, grid: found.grid ?? null },
      ctx,
    );
    state = result.state;
    if (args.verbose) {
      const seen = found.detections.map((d) => `${d.label}:${d.score.toFixed(2)}`).join(' ');
      const regions = result.sceneRegions.map(
        (r) =>
          `[${r.box.x1.toFixed(2)},${r.box.y1.toFixed(2)}-${r.box.x2.toFixed(2)},${r.box.y2.toFixed(2)} ${r.cells}c since ${((r.since - at) / 1000 + seconds).toFixed(0)}s]`,
      );
      console.log(`  ${clip.name} ${seconds.toFixed(0)}s: ${seen} ${regions.join(' ')}`);
    }
    for (const e of result.events) {
      if (e.type !== 'violation_started') continue;
      started.push({ ...e, clipSeconds: seconds });
      if (args.verbose)
        console.log(
          `  ${clip.name} ${seconds.toFixed(0)}s: ${e.rule} in ${e.zoneId} [${e.labels.join(', ')}] from ${((e.firstSeenAt - at) / 1000 + seconds).toFixed(0)}s`,
        );
    }
  }
  await source.close();
  const dwellOf = (zoneId: string) =>
    zoneSettings(
      clip.zones.find((z) => z.id === zoneId)!,
      config,
    ).dwellSeconds;
  return { clip, outcome: scoreClip(clip.expected, started, dwellOf), seconds, frames: seq };
}

const fmt = (v: number | null, digits = 1) => (v === null ? 'n/a' : v.toFixed(digits));
const ratio = (a: number, b: number) => (b === 0 ? null : a / b);
const median = (v: number[]) => {
  if (v.length === 0) return null;
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

function report(runs: readonly ClipRun[]): void {
  console.log('\nper clip');
  for (const r of runs) {
    const { matched, missed, spurious } = r.outcome;
    const kind = r.clip.expected.length === 0 ? 'negative' : 'positive';
    console.log(
      `  ${r.clip.name.padEnd(34)} ${kind}  ${r.frames} frames ${r.seconds.toFixed(0)} s  found ${matched.length}/${r.clip.expected.length}, missed ${missed.length}, false ${spurious.length}`,
    );
    for (const m of matched)
      console.log(
        `      ${m.label.rule} in ${m.label.zoneId}: review task ${m.fromAppearance.toFixed(0)} s after it appeared, ${m.fromLeft.toFixed(0)} s after it was left; detector: ${m.detectorLabels.join(', ') || 'nothing'}`,
      );
    for (const m of missed) console.log(`      MISSED ${m.rule} in ${m.zoneId} (appeared ${m.appearedAt} s)`);
    for (const s of spurious)
      console.log(
        `      FALSE ${s.rule} in ${s.zoneId} at ${s.confirmedAt.toFixed(0)} s [${s.labels.join(', ')}] box ${[s.box.x1, s.box.y1, s.box.x2, s.box.y2].map((v) => v.toFixed(2)).join(',')}`,
      );
  }

  console.log('\nper violation type (review task: the confirming frame, on the capture clock)');
  console.log(
    'rule                 TP   FP   FN  precision  recall  appearance->task s (median/max)  left->task s (median/max)',
  );
  const rules: RuleName[] = [...RULE_NAMES];
  for (const rule of rules) {
    const matched = runs.flatMap((r) => r.outcome.matched.filter((m) => m.label.rule === rule));
    const fp = runs.flatMap((r) => r.outcome.spurious.filter((s) => s.rule === rule)).length;
    const fn = runs.flatMap((r) => r.outcome.missed.filter((m) => m.rule === rule)).length;
    const tp = matched.length;
    const fromAppearance = matched.map((m) => m.fromAppearance);
    const fromLeft = matched.map((m) => m.fromLeft);
    console.log(
      `${rule.padEnd(19)} ${String(tp).padStart(4)} ${String(fp).padStart(4)} ${String(fn).padStart(4)}      ${fmt(ratio(tp, tp + fp), 2).padStart(5)}   ${fmt(ratio(tp, tp + fn), 2).padStart(5)}   ${`${fmt(median(fromAppearance), 0)} / ${fmt(fromAppearance.length ? Math.max(...fromAppearance) : null, 0)}`.padStart(16)}                 ${`${fmt(median(fromLeft), 0)} / ${fmt(fromLeft.length ? Math.max(...fromLeft) : null, 0)}`.padStart(12)}`,
    );
  }
  // The model's blind spot, measured: violations found only because the background model saw them.
  for (const rule of rules) {
    const matched = runs.flatMap((r) => r.outcome.matched.filter((m) => m.label.rule === rule));
    if (matched.length === 0) continue;
    const seen = matched.filter((m) => m.detectorLabels.length > 0).length;
    console.log(
      `${rule}: the detector saw ${seen} of ${matched.length} found (${matched.length - seen} found by the background model alone)`,
    );
  }
  const negatives = runs.filter((r) => r.clip.expected.length === 0);
  const hours = negatives.reduce((sum, r) => sum + r.seconds, 0) / 3600;
  const falseOnNegatives = negatives.reduce((sum, r) => sum + r.outcome.spurious.length, 0);
  console.log(
    `\nclips without a violation: ${negatives.length}, ${(hours * 60).toFixed(1)} camera-minutes, ${falseOnNegatives} false violations = ${fmt(ratio(falseOnNegatives, hours), 1)} per camera-hour`,
  );
}

async function main(): Promise<void> {
  const file = path.join(REPO_ROOT, 'fixtures/footage/clips.json');
  const all = parseClips(JSON.parse(await readFile(file, 'utf8')));
  const wanted = args.clip ?? [];
  const clips = wanted.length ? all.filter((c) => wanted.includes(c.name)) : all;
  if (clips.length === 0) throw new Error(`no clip named ${wanted.join(', ')}`);
  const assets = await ensureAssets({ only: ['yolox-nano', ...new Set(clips.map((c) => c.source))] });
  const manifest = JSON.parse(await readFile(path.join(REPO_ROOT, 'assets.manifest.json'), 'utf8')) as {
    assets: { name: string; sha256: string }[];
  };
  const detector = await createDetector({ modelName: 'yolox-nano' });
  const runs: ClipRun[] = [];
  const started = performance.now();
  try {
    for (const clip of clips) {
      const asset = assets.find((a) => a.name === clip.source);
      if (!asset) throw new Error(`clip ${clip.name}: no asset named ${clip.source}`);
      const sha = manifest.assets.find((a) => a.name === clip.source)!.sha256;
      const video = await clipVideo(clip, asset.path, sha);
      runs.push(await runClip(clip, video, detector));
    }
  } finally {
    await detector.close();
  }
  report(runs);
  const frames = runs.reduce((n, r) => n + r.frames, 0);
  console.log(`${frames} frames in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
