import { randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Pool } from '../../src/db/pool.js';

/** Rows for the command screen's tests, inserted as plain SQL with the times the test chooses. */

export async function insertCamera(
  pool: Pool,
  districtId: string,
  name: string,
  opts: { latitude?: number; longitude?: number } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into cameras (district_id, name, latitude, longitude, source)
     values ($1, $2, $3, $4, '{"kind":"snapshot","url":"http://10.0.0.5/snap.jpg"}') returning id`,
    [districtId, name, opts.latitude ?? null, opts.longitude ?? null],
  );
  return rows[0]!.id;
}

export async function setHealth(
  pool: Pool,
  cameraId: string,
  h: { lastFrameAt?: Date | null; lastErrorAt?: Date | null; sha?: string },
): Promise<void> {
  await pool.query(
    `insert into camera_health (camera_id, last_frame_at, last_error_at, last_error, latest_frame_sha256)
     values ($1, $2, $3, case when $3::timestamptz is null then null else 'timeout' end, $4)`,
    [cameraId, h.lastFrameAt ?? null, h.lastErrorAt ?? null, h.sha ?? null],
  );
}

export async function insertViolation(
  pool: Pool,
  districtId: string,
  cameraId: string,
  createdAt: Date,
): Promise<string> {
  const id = randomUUID();
  await pool.query(
    `insert into violations (id, district_id, camera_id, camera_version, rule, violation_type, status, first_seen_at,
                             confirmed_at, dedupe_key, created_at)
     values ($1, $2, $3, 1, 'stall', 'street_stall', 'pending_review', $4, $4, $5, $4)`,
    [id, districtId, cameraId, createdAt, `screen-${id}`],
  );
  return id;
}

export async function insertReviewTask(
  pool: Pool,
  violationId: string,
  districtId: string,
  cameraId: string,
  t: { stage?: 'evidence' | 'legal'; status: 'open' | 'claimed' | 'done'; createdAt: Date; decidedAt?: Date },
): Promise<void> {
  await pool.query(
    `insert into review_tasks (violation_id, district_id, stage, status, violation_type, camera_id, decision,
                               decided_at, created_at)
     values ($1, $2, $3, $4, 'street_stall', $5, case when $4 = 'done' then 'approve' end, $6, $7)`,
    [violationId, districtId, t.stage ?? 'evidence', t.status, cameraId, t.decidedAt ?? null, t.createdAt],
  );
}

let frameSeq = 0;

export async function insertFrame(pool: Pool, cameraId: string, createdAt: Date): Promise<void> {
  frameSeq += 1;
  await pool.query(
    `insert into frames (camera_id, seq, captured_at, sha256, storage_key, width, height, byte_size, camera_version,
                         created_at)
     values ($1, $2, $3, $4, 'k', 10, 10, 100, 1, $3)`,
    [cameraId, frameSeq, createdAt, frameSeq.toString(16).padStart(64, '0')],
  );
}

let caseSeq = 0;

export async function insertCase(
  pool: Pool,
  districtId: string,
  violationId: string,
  filedAt: Date,
): Promise<string> {
  caseSeq += 1;
  const { rows } = await pool.query<{ id: string }>(
    `insert into cases (district_id, year, seq, case_number, violation_id, violation_type, catalogue_version, status,
                        proposed_fine_fen, benchmark, deadlines, filed_at)
     values ($1, 2026, $2, $3, $4, 'street_stall', 'test', 'filed', 20000, '{}', '{}', $5) returning id`,
    [districtId, caseSeq, `screen-${districtId}-${caseSeq}`, violationId, filedAt],
  );
  return rows[0]!.id;
}

export async function insertPayment(
  pool: Pool,
  caseId: string,
  amountFen: number,
  paidAt: Date | null,
): Promise<void> {
  await pool.query(
    `insert into payments (case_id, amount_fen, fine_fen, status, gateway, gateway_order_id, paid_at)
     values ($1, $2, $2, $3, 'test', $4, $5)`,
    [caseId, amountFen, paidAt ? 'paid' : 'pending', `screen-${randomUUID()}`, paidAt],
  );
}

export async function insertAlert(
  pool: Pool,
  a: {
    kind?: string;
    subject: string;
    districtId: string | null;
    cameraId?: string | null;
    severity?: 'info' | 'warning' | 'critical';
    resolved?: boolean;
    openedAt?: Date;
  },
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into alerts (kind, subject, district_id, camera_id, severity, state, resolved_at, opened_at)
     values ($1, $2, $3, $4, $5, case when $6 then 'resolved' else 'open' end, case when $6 then now() end,
             coalesce($7, now()))
     returning id`,
    [
      a.kind ?? 'camera_offline',
      a.subject,
      a.districtId,
      a.cameraId ?? null,
      a.severity ?? 'warning',
      a.resolved ?? false,
      a.openedAt ?? null,
    ],
  );
  return rows[0]!.id;
}

/** Signs in through the API and returns the Cookie header a browser would send. */
export async function sessionCookie(
  app: FastifyInstance,
  username: string,
  password: string,
): Promise<string> {
  const jar = new Map<string, string>();
  const keep = (set: string | string[] | undefined) => {
    for (const line of [set ?? []].flat()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      jar.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
  };
  const header = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const csrf = await app.inject({ method: 'GET', url: '/auth/csrf' });
  keep(csrf.headers['set-cookie']);
  const login = await app.inject({
    method: 'POST',
    url: '/auth/login',
    payload: { username, password },
    headers: { cookie: header(), 'x-csrf-token': (csrf.json() as { token: string }).token },
  });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode}`);
  keep(login.headers['set-cookie']);
  return header();
}

/** An open event stream: its response, the events read so far, and a way to wait for the next of a name. */
export interface EventStream {
  response: IncomingMessage;
  events: { event: string; data: unknown }[];
  /** the first event of that name at or after index `after` of `events` (already read, or the next to come) */
  waitFor(event: string, after?: number): Promise<unknown>;
  ended: Promise<void>;
  close(): void;
}

export function openStream(baseUrl: string, path: string, cookie: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${baseUrl}${path}`,
      { headers: { cookie, accept: 'text/event-stream' } },
      (res) => {
        const events: { event: string; data: unknown }[] = [];
        const waiters: { event: string; from: number; resolve: (d: unknown) => void }[] = [];
        let buffer = '';
        const check = () => {
          for (const w of [...waiters]) {
            const found = events.slice(w.from).find((e) => e.event === w.event);
            if (found) {
              waiters.splice(waiters.indexOf(w), 1);
              w.resolve(found.data);
            }
          }
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let cut: number;
          while ((cut = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, cut);
            buffer = buffer.slice(cut + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
            const data = /^data: (.*)$/m.exec(block)?.[1];
            events.push({ event, data: data === undefined ? null : JSON.parse(data) });
          }
          check();
        });
        const ended = new Promise<void>((done) => {
          res.on('end', done);
          res.on('close', done);
        });
        resolve({
          response: res,
          events,
          ended,
          waitFor(event, from = 0) {
            return new Promise((ok, fail) => {
              const timer = setTimeout(() => fail(new Error(`no ${event} event within 30 s`)), 30_000);
              waiters.push({
                event,
                from,
                resolve: (d) => {
                  clearTimeout(timer);
                  ok(d);
                },
              });
              check();
            });
          },
          close: () => req.destroy(),
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}
