/**
 * `npm run bench:rules-state [-- --saves N]`: what storing a camera's rules state costs per frame, written as the
 * engine holds it (plain JSON, the baseline) against the packed form the rules stage writes, in the same run:
 * the text size, the size Postgres keeps (after its own compression), CPU to encode and decode, and a save and
 * load through a real database with the WAL each save writes. The states come from the hand-written rule
 * scenarios with a background model, taken at their last frame.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CameraRulesState } from '../../src/rules/engine.js';
import {
  decodeRulesState,
  encodeRulesState,
  type StoredRulesState,
} from '../../src/rules/rules-state-codec.js';
import { expandScenario, parseScenario, replayScenario } from '../../src/rules/scenario.js';
import { REPO_ROOT } from '../../src/shared/paths.js';
import { benchDatabase } from './bench-db.js';

const { values } = parseArgs({ options: { saves: { type: 'string', default: '400' } } });
const saves = Number(values.saves);

function scenarioStates(): CameraRulesState[] {
  const dir = path.join(REPO_ROOT, 'fixtures', 'scenarios');
  const states: CameraRulesState[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const scenario = parseScenario(JSON.parse(readFileSync(path.join(dir, file), 'utf8')), file);
    if (!expandScenario(scenario).some((f) => f.grid) || scenario.tags.includes('randomised')) continue;
    const { state } = replayScenario(scenario, 'v');
    if (state.scene) states.push(state);
  }
  return states;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const fmt = (n: number, d = 1) => n.toFixed(d);

async function main(): Promise<void> {
  const states = scenarioStates();
  const plainText = states.map((s) => JSON.stringify(s));
  const packedText = states.map((s) => JSON.stringify(encodeRulesState(s)));

  // CPU: what the rules worker does per frame with each form (stringify to save, parse to load).
  const cpu = (encode: (s: CameraRulesState) => string, decode: (t: string) => CameraRulesState) => {
    const rounds = 20;
    const t0 = performance.now();
    for (let r = 0; r < rounds; r++) for (const s of states) decode(encode(s));
    return (performance.now() - t0) / (rounds * states.length);
  };
  cpu(JSON.stringify, (t) => JSON.parse(t) as CameraRulesState);
  cpu(
    (s) => JSON.stringify(encodeRulesState(s)),
    (t) => decodeRulesState(JSON.parse(t) as StoredRulesState),
  );
  const plainCpu = cpu(JSON.stringify, (t) => JSON.parse(t) as CameraRulesState);
  const packedCpu = cpu(
    (s) => JSON.stringify(encodeRulesState(s)),
    (t) => decodeRulesState(JSON.parse(t) as StoredRulesState),
  );

  const db = await benchDatabase('enf_bench_rules_state');
  try {
    const { pool } = db;
    await pool.query('create table state_plain (id int primary key, state jsonb not null)');
    await pool.query('create table state_packed (id int primary key, state jsonb not null)');
    for (const [i] of states.entries()) {
      await pool.query('insert into state_plain values ($1, $2)', [i, plainText[i]]);
      await pool.query('insert into state_packed values ($1, $2)', [i, packedText[i]]);
    }
    const stored = async (table: string) =>
      Number((await pool.query(`select avg(pg_column_size(state)) as b from ${table}`)).rows[0].b);
    const plainStored = await stored('state_plain');
    const packedStored = await stored('state_packed');

    /** Saves and loads like the rules stage, alternating the two forms; ms per save+load and WAL bytes per save. */
    const roundTrip = async (table: string, texts: string[]) => {
      const client = await pool.connect();
      try {
        const wal0 = (await client.query('select pg_current_wal_insert_lsn() as l')).rows[0].l as string;
        const t0 = performance.now();
        for (let k = 0; k < saves; k++) {
          const i = k % texts.length;
          await client.query(`update ${table} set state = $2 where id = $1`, [i, texts[i]]);
          await client.query(`select state from ${table} where id = $1`, [i]);
        }
        const ms = (performance.now() - t0) / saves;
        const wal = (
          await client.query('select pg_wal_lsn_diff(pg_current_wal_insert_lsn(), $1) as d', [wal0])
        ).rows[0].d as string;
        return { ms, walBytes: Number(wal) / saves };
      } finally {
        client.release();
      }
    };
    await roundTrip('state_plain', plainText);
    await roundTrip('state_packed', packedText);
    const plainDb: { ms: number; walBytes: number }[] = [];
    const packedDb: { ms: number; walBytes: number }[] = [];
    for (let r = 0; r < 3; r++) {
      plainDb.push(await roundTrip('state_plain', plainText));
      packedDb.push(await roundTrip('state_packed', packedText));
    }

    const kb = (n: number) => `${fmt(n / 1024)} KB`;
    const plainLen = mean(plainText.map((t) => t.length));
    const packedLen = mean(packedText.map((t) => t.length));
    const pMs = mean(plainDb.map((x) => x.ms));
    const kMs = mean(packedDb.map((x) => x.ms));
    const pWal = mean(plainDb.map((x) => x.walBytes));
    const kWal = mean(packedDb.map((x) => x.walBytes));
    const grid = states[0]!.scene!;
    console.log(
      `${states.length} states from the rule scenarios (background grid ${grid.width}x${grid.height}), ${saves} saves per round, 3 rounds alternating\n`,
    );
    console.log('                          plain JSON     packed      packed / plain');
    const row = (what: string, a: string, b: string, ratio: number) =>
      console.log(`${what.padEnd(26)}${a.padStart(10)} ${b.padStart(10)}      ${fmt(ratio, 2)}`);
    row('text per state', kb(plainLen), kb(packedLen), packedLen / plainLen);
    row('stored (pg_column_size)', kb(plainStored), kb(packedStored), packedStored / plainStored);
    row('encode + decode, ms', fmt(plainCpu, 3), fmt(packedCpu, 3), packedCpu / plainCpu);
    row('save + load in Postgres, ms', fmt(pMs, 3), fmt(kMs, 3), kMs / pMs);
    row('WAL per save', kb(pWal), kb(kWal), kWal / pWal);
  } finally {
    await db.drop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
