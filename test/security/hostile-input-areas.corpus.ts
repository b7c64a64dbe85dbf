import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import type { StaffRole } from '../../src/auth/principal.js';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import { DEV_HOTLINE_SECRET } from '../../src/config/hotline.js';
import { photoJpeg, sendToField } from '../field-tasks/field-fixtures.js';
import { insertAlert } from '../screen/screen-fixtures.js';
import { seedParty } from '../support/seed-violations.js';
import { seedStaff, TestClient } from '../support/test-app.js';
import { caseWithLink } from '../support/portal-client.js';
import { inj, type HostileCase, type HostileTarget, type Reply } from './hostile-input.corpus.js';

/*
 * The second part of the hostile-input corpus: the areas added around the pipeline (alerts, statistics, the
 * command screen, shop supervision, credit, case-file review, field tasks, announcements, complaint replies and
 * spot checks). Same rules as the first part: each row is owed a 4xx (an exact one where stated) and may add
 * rows only to the tables it names.
 */

let t: HostileTarget;
/** Accounts of every role the new areas tell apart, in Pudong unless said. */
let patrol: TestClient;
let leader: TestClient;
let legal: TestClient;
let head: TestClient;
let huangpu: TestClient;
/** Things to aim at: a field task, alerts of two districts, shops of two districts. */
let fieldTaskId: string;
let alertId: string;
let huangpuAlertId: string;
let shopId: string;
let huangpuShopId: string;
/** A second case with a withdrawal waiting for the agency head, a published credit item of each case with a
 * repair waiting on the second, and a supervision notice waiting for its answer. */
let withdrawalCaseId: string;
let withdrawalId: string;
let creditItemId: string;
let repairId: string;
let noticeId: string;
/** A complaint of Pudong that no camera watches. */
let complaintId: string;
const REPAIR_KEY = 'hostile-setup-repair-key';

const NUL = '\u0000';
const LONG = '长'.repeat(2001);
const unknown = () => randomUUID();

/** A small real JPEG, so that a row gets past the photo check to the one after it; made by the set-up. */
let jpeg: Buffer | undefined;
async function photoBytes(): Promise<Buffer> {
  jpeg ??= await photoJpeg();
  return jpeg;
}

const login = async (username: string, role: StaffRole, district: string | null): Promise<TestClient> => {
  const s = await seedStaff(t.world.ctx.pool, username, role, district);
  return new TestClient(t.world.ctx.app).login(s.username, s.password);
};

/** Makes the accounts and the things the area rows aim at; called once before any case is sent. */
export async function aimAreaCorpusAt(target: HostileTarget): Promise<void> {
  t = target;
  const { pool } = t.world.ctx;
  patrol = await login('hostile-patrol', 'patrol', 'pudong');
  leader = await login('hostile-leader', 'leader', 'pudong');
  legal = await login('hostile-legal', 'legal_reviewer', 'pudong');
  head = await login('hostile-head', 'agency_head', 'pudong');
  huangpu = await login('hostile-huangpu', 'district_staff', 'huangpu');
  ({ fieldTaskId } = await sendToField(t.world.ctx, t.world.seed));
  alertId = await insertAlert(pool, { subject: 'hostile-pudong', districtId: 'pudong' });
  huangpuAlertId = await insertAlert(pool, { subject: 'hostile-huangpu', districtId: 'huangpu' });
  shopId = await seedParty(pool, 'pudong', '张记水果店', 'unit');
  huangpuShopId = await seedParty(pool, 'huangpu', '李记杂货店', 'unit');
  const second = await caseWithLink(t.world);
  withdrawalCaseId = second.caseId;
  withdrawalId = (
    await expectOk(inj(t.staff, 'POST', `/api/cases/${withdrawalCaseId}/withdrawals`, { reason: '证据不足' }))
  ).withdrawalId as string;
  await publishCreditItem(pool, t.party.caseId);
  creditItemId = await publishCreditItem(pool, withdrawalCaseId);
  repairId = (
    (await expectOk(
      inj(t.staff, 'POST', `/api/credit/items/${creditItemId}/repairs`, {
        reason: '已整改',
        requestKey: REPAIR_KEY,
      }),
    )) as { repair: { id: string } }
  ).repair.id;
  const finding = await pool.query<{ id: string }>(
    `insert into case_review_findings (key, district_id, kind, subject_kind, subject_id)
     values ($1, 'pudong', 'overdue', 'case', $2) returning id`,
    [`hostile-${randomUUID()}`, withdrawalCaseId],
  );
  noticeId = (
    (await expectOk(
      inj(legal, 'POST', '/api/supervision-notices', {
        sourceKind: 'finding',
        sourceId: finding.rows[0]!.id,
        request: '限期整改',
        dueOn: '2999-12-31',
      }),
    )) as { notice: { id: string } }
  ).notice.id;
  complaintId = (
    (await expectOk(
      inj(t.staff, 'POST', '/api/complaints', { place: { text: '浦东新区无名小路' }, content: '占道经营' }),
    )) as {
      complaint: { id: string };
    }
  ).complaint.id;
  await photoBytes();
  // the shops get their risk rows when a page first looks (as in production), before any case is counted
  for (const client of [t.staff, huangpu]) {
    const r = await inj(client, 'GET', '/staff/shops');
    if (r.status !== 200) throw new Error(`shops page: ${r.status}`);
  }
}

async function expectOk(reply: Promise<Reply>): Promise<Record<string, unknown>> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`set-up request refused: ${r.status} ${r.body}`);
  return JSON.parse(r.body) as Record<string, unknown>;
}

/** A decision published on the credit page as the credit sweep would (for a year from today). */
async function publishCreditItem(pool: Pool, caseId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `insert into credit_items (case_id, district_id, party_id, party_kind, shown_name, shown_code, case_number,
       violation_type, matter, basis, fine_fen, decided_on, rules_version, publish_from, publish_until)
     select c.id, c.district_id, c.party_id, 'person', '张**', '310115********0000', c.case_number,
       'street_stall', '占道经营', '《上海市市容环境卫生管理条例》', 20000, current_date, 'test', current_date,
       current_date + 365
     from cases c where c.id = $1 returning id`,
    [caseId],
  );
  return rows[0]!.id;
}

const page = (client: TestClient, method: 'GET' | 'POST', url: string, body?: unknown): Promise<Reply> =>
  inj(client, method, url, body, { accept: 'text/html' });

/** A multipart body of text fields and files, as a browser sends a form. */
function multipartForm(
  fields: Record<string, string>,
  files: { field: string; name: string; type: string; bytes: Buffer }[] = [],
  boundary = 'hostileareaboundary',
): { body: Buffer; headers: Record<string, string> } {
  const parts: Buffer[] = [];
  for (const [name, value] of Object.entries(fields))
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  for (const f of files)
    parts.push(
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="${f.field}"; filename="${f.name}"\r\ncontent-type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    );
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return {
    body: Buffer.concat(parts),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, accept: 'text/html' },
  };
}
const TEXT_AS_JPEG = {
  field: 'photos',
  name: 'scene.jpg',
  type: 'image/jpeg',
  bytes: Buffer.from('not a photo\n'),
};
const sendForm = (client: TestClient, url: string, form: ReturnType<typeof multipartForm>) =>
  inj(client, 'POST', url, form.body, form.headers);
const sendRawMultipart = (client: TestClient, url: string, body: string, boundary = 'XyZ') =>
  inj(client, 'POST', url, body, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    accept: 'text/html',
  });

const fieldReport = (over: Record<string, unknown>, client: TestClient = patrol, id = fieldTaskId) =>
  inj(client, 'POST', `/api/field-tasks/${id}/report`, {
    outcome: 'corrected',
    note: '已整改',
    photos: [{ name: 'a.jpg', contentBase64: Buffer.from('not a photo').toString('base64') }],
    ...over,
  });
const hotlineSigned = (url: string, body: string, at = Date.now()) =>
  t.world.ctx.app
    .inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'content-type': 'application/json', ...signedHeaders(DEV_HOTLINE_SECRET, body, at) },
    })
    .then((r): Reply => ({ status: r.statusCode, body: r.body }));
const portalCredit = (fields: Record<string, string>, headers: Record<string, string> = {}) =>
  t.party.browser
    .request('POST', `/n/${t.party.token}/credit/repair`, new URLSearchParams(fields), headers)
    .then(async (r): Promise<Reply> => ({ status: r.status, body: await r.text() }));
const portalGetPath = (path: string) =>
  t.party.browser.get(path).then(async (r): Promise<Reply> => ({ status: r.status, body: await r.text() }));

// The rows, grouped by area (the folder of src/ they aim at; 'leader' gathers the read-only role's attempts).
export const areaCorpus: HostileCase[] = [
  // --- alerts (src/alerts) and the alert contacts of staff accounts ---
  ...['bogus', NUL, '<script>'].map((state): HostileCase => ({
    area: 'alerts',
    name: `alert list state=${JSON.stringify(state)}`,
    send: () => page(t.staff, 'GET', `/staff/alerts?state=${encodeURIComponent(state)}`),
    status: 400,
  })),
  {
    area: 'alerts',
    name: 'alert list of an unknown kind',
    send: () => page(t.staff, 'GET', '/staff/alerts?kind=meteor_strike'),
    status: 400,
  },
  {
    area: 'alerts',
    name: 'alert id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/alerts/1%20or%201=1'),
    status: 400,
  },
  {
    area: 'alerts',
    name: 'alert that does not exist',
    send: () => page(t.staff, 'GET', `/staff/alerts/${unknown()}`),
    status: 404,
  },
  {
    area: 'alerts',
    name: "another district's alert",
    send: () => page(t.staff, 'GET', `/staff/alerts/${huangpuAlertId}`),
  },
  {
    area: 'alerts',
    name: "acknowledge another district's alert",
    send: () => page(t.staff, 'POST', `/staff/alerts/${huangpuAlertId}/acknowledge`, {}),
  },
  {
    area: 'alerts',
    name: 'acknowledge an alert that does not exist',
    send: () => page(t.staff, 'POST', `/staff/alerts/${unknown()}/acknowledge`, {}),
    status: 404,
  },
  {
    area: 'alerts',
    name: 'leader (read-only) resolves an alert',
    send: () => page(leader, 'POST', `/staff/alerts/${alertId}/resolve`, {}),
    status: 403,
  },
  {
    area: 'alerts',
    name: 'patrol opens the alerts',
    send: () => page(patrol, 'GET', '/staff/alerts'),
    status: 403,
  },
  {
    area: 'alerts',
    name: 'resolve with a NUL in the token field',
    send: () => page(t.staff, 'POST', `/staff/alerts/${alertId}/resolve`, { _csrf: NUL }),
    status: 400,
  },
  {
    area: 'alerts',
    name: 'resolve an alert id with a NUL',
    send: () => page(t.staff, 'POST', '/staff/alerts/%00/resolve', {}),
    status: 400,
  },
  ...(
    [
      ['phone with letters', { phone: '138abc', email: '' }],
      ['phone with NUL', { phone: `1380013800${NUL}`, email: '' }],
      ['e-mail without an @', { phone: '', email: 'nobody.example' }],
      ['e-mail with markup', { phone: '', email: '<script>@x.cn' }],
      ['e-mail over 254 characters', { phone: '', email: `${'a'.repeat(250)}@x.cn` }],
      ['contact as a list', { phone: ['1', '2'], email: '' }],
    ] as const
  ).map(([name, body]): HostileCase => ({
    area: 'alerts',
    name: `alert contact: ${name}`,
    send: async () => {
      const { rows } = await t.world.ctx.pool.query<{ id: string }>(
        `select id from staff_users where username = 'hostile-staff'`,
      );
      return page(t.admin, 'POST', `/staff/users/${rows[0]!.id}/contact`, body);
    },
    status: 400,
  })),
  ...['x<evil@example.com>', '"a b"@x.cn', 'a@x.cn>', 'a;b@x.cn', 'a(b)@x.cn', 'a@x..cn'].map(
    (email): HostileCase => ({
      area: 'alerts',
      name: `alert contact: e-mail a mailer reads otherwise ${JSON.stringify(email)}`,
      send: async () => {
        const { rows } = await t.world.ctx.pool.query<{ id: string }>(
          `select id from staff_users where username = 'hostile-staff'`,
        );
        return page(t.admin, 'POST', `/staff/users/${rows[0]!.id}/contact`, { phone: '', email });
      },
      status: 400,
    }),
  ),
  {
    area: 'alerts',
    name: 'alert contact of an account that does not exist',
    send: () =>
      page(t.admin, 'POST', `/staff/users/${unknown()}/contact`, { phone: '13800138000', email: '' }),
    status: 404,
  },
  {
    area: 'alerts',
    name: 'alert contact set by district staff',
    send: () =>
      page(t.staff, 'POST', `/staff/users/${unknown()}/contact`, { phone: '13800138000', email: '' }),
    status: 403,
  },

  // --- statistics (src/stats): pages, CSV/XLSX exports, monthly reports ---
  ...(
    [
      ['from after to', 'from=2026-03-01&to=2026-01-01'],
      ['year 99999', 'from=99999-01-01&to=99999-12-31'],
      ['a day that does not exist', 'from=2026-02-30&to=2026-03-01'],
      ['a period of a century', 'from=1926-01-01&to=2026-01-01'],
      ['a date that is not a date', 'from=yesterday&to=today'],
      ['NUL in the period', 'from=2026-01-01%00&to=2026-01-31'],
      ['an unknown district', 'district=atlantis'],
      ["another district's figures", 'district=huangpu'],
      ['a camera that is not a uuid', "camera=1'%20or%20'1'='1"],
      ['an unknown tab', 'tab=secrets'],
      ['an unknown dimension', 'by=salary'],
      ['a filter over 64 characters', `rule=${'x'.repeat(65)}`],
    ] as const
  ).map(([name, query]): HostileCase => ({
    area: 'stats',
    name: `statistics page: ${name}`,
    send: () => page(t.staff, 'GET', `/staff/stats?${query}`),
  })),
  ...(
    [
      ['no table', 'csv', 'from=2026-01-01&to=2026-01-31'],
      ['an unknown table', 'csv', 'table=staff_users'],
      ['from after to', 'csv', 'table=violations&from=2026-03-01&to=2026-01-01'],
      ['year 99999', 'xlsx', 'table=violations&from=99999-01-01&to=99999-01-31'],
      ['2026-02-30', 'xlsx', 'table=violations&from=2026-02-30&to=2026-03-31'],
      ['an unknown district', 'csv', 'table=violations&district=atlantis'],
      ["another district's rows", 'xlsx', 'table=violations&district=huangpu'],
      ['NUL in the camera', 'csv', 'table=violations&camera=%00'],
    ] as const
  ).map(([name, format, query]): HostileCase => ({
    area: 'stats',
    name: `${format} export: ${name}`,
    send: () => page(t.staff, 'GET', `/staff/stats/export.${format}?${query}`),
  })),
  ...(
    [
      ['a camera that does not exist', () => `camera=${unknown()}`],
      ["another district's camera", () => `camera=${t.world.seed.cameraId}`],
      ['an unknown rule', () => 'rule=%3Cscript%3E'],
      ['an unknown violation type', () => 'type=nuclear_waste'],
      ['the period given twice', () => 'from=2026-01-01&from=2026-02-01'],
    ] as const
  ).map(([name, query]): HostileCase => ({
    area: 'stats',
    name: `statistics page of huangpu staff with ${name}`,
    send: () => page(huangpu, 'GET', `/staff/stats?${query()}`),
  })),
  ...['district=atlantis', 'district=%3Cscript%3E', `district=${'a'.repeat(65)}`].map(
    (query): HostileCase => ({
      area: 'stats',
      name: `statistics page of the city admin with ${query.slice(0, 40)}`,
      send: () => page(t.admin, 'GET', `/staff/stats?${query}`),
    }),
  ),
  {
    area: 'stats',
    name: 'city admin exports an unknown district',
    send: () => page(t.admin, 'GET', '/staff/stats/export.xlsx?table=violations&district=atlantis'),
  },
  ...(
    [
      ['an unknown district', { month: '2026-01', district: 'atlantis' }],
      ['a district of markup', { month: '2026-01', district: '<script>' }],
      ['an empty district', { month: '2026-01', district: '' }],
      ['month 13', { month: '2026-13', district: 'pudong' }],
    ] as const
  ).map(([name, body]): HostileCase => ({
    area: 'stats',
    name: `monthly report generation by the city admin: ${name}`,
    send: () => page(t.admin, 'POST', '/staff/stats/reports', body),
  })),
  {
    area: 'stats',
    name: 'patrol exports the figures',
    send: () => page(patrol, 'GET', '/staff/stats/export.csv?table=violations'),
    status: 403,
  },
  ...(
    [
      ['month 13', { month: '2026-13' }, 400],
      ['month 00', { month: '2026-00' }, 400],
      ['year 99999', { month: '99999-01' }, 400],
      ['a month to come', { month: '2999-01' }, 400],
      ['a month with a day', { month: '2026-01-15' }, 400],
      ['NUL in the month', { month: `2026-01${NUL}` }, 400],
      ['an unknown district', { month: '2026-01', district: 'atlantis' }, undefined],
      ["another district's report", { month: '2026-01', district: 'huangpu' }, undefined],
      ['a district name of markup', { month: '2026-01', district: '<script>' }, undefined],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'stats',
    name: `monthly report generation: ${name}`,
    send: () => page(t.staff, 'POST', '/staff/stats/reports', body),
    status,
  })),
  {
    area: 'stats',
    name: 'leader (read-only) generates a monthly report',
    send: () => page(leader, 'POST', '/staff/stats/reports', { month: '2026-01' }),
    status: 403,
  },
  {
    area: 'stats',
    name: 'monthly report download with an id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/stats/reports/..%2F..%2Fetc%2Fpasswd/file'),
    status: 400,
  },
  {
    area: 'stats',
    name: 'monthly report download of a report that does not exist',
    send: () => page(t.staff, 'GET', `/staff/stats/reports/${unknown()}/file`),
    status: 404,
  },

  // --- command screen (src/screen) and its server-sent events ---
  ...(
    [
      ['another district', 'district=huangpu', 403],
      ['an unknown district', 'district=atlantis', undefined],
      ['a district in capitals', 'district=PUDONG', 400],
      ['NUL as the district', 'district=%00', 400],
      ['a district of markup', 'district=%3Cscript%3E', 400],
      ['an unknown parameter', 'district=pudong&debug=1', 400],
    ] as const
  ).flatMap(([name, query, status]): HostileCase[] => [
    {
      area: 'screen',
      name: `screen page: ${name}`,
      send: () => page(t.staff, 'GET', `/screen?${query}`),
      status,
    },
    {
      area: 'screen',
      name: `screen events: ${name}`,
      send: () => inj(t.staff, 'GET', `/screen/events?${query}`),
      status,
    },
  ]),
  ...['district=atlantis', 'district=zz'].flatMap((query): HostileCase[] => [
    {
      area: 'screen',
      name: `screen page of the city admin with ${query}`,
      send: () => page(t.admin, 'GET', `/screen?${query}`),
    },
    {
      area: 'screen',
      name: `screen events of the city admin with ${query}`,
      send: () => inj(t.admin, 'GET', `/screen/events?${query}`),
    },
  ]),
  {
    area: 'screen',
    name: 'patrol opens the screen events',
    send: () => inj(patrol, 'GET', '/screen/events'),
    status: 403,
  },

  // --- shop supervision (src/supervision): shops, risk levels, inspections with photos ---
  ...(
    [
      ['level=extreme', 'level=extreme'],
      ['page=0', 'page=0'],
      ['page=1e30', 'page=1e30'],
      ['page=-1', 'page=-1'],
      ['page=NaN', 'page=NaN'],
      ['overdue=maybe', 'overdue=maybe'],
      ['search over 100 characters', `q=${'x'.repeat(101)}`],
      ['search with NUL', 'q=%E5%BC%A0%00'],
    ] as const
  ).map(([name, query]): HostileCase => ({
    area: 'supervision',
    name: `shops page ${name}`,
    send: () => page(t.staff, 'GET', `/staff/shops?${query}`),
    status: 400,
  })),
  {
    area: 'supervision',
    name: 'shop id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/shops/%3Cscript%3E'),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'shop that does not exist',
    send: () => page(t.staff, 'GET', `/staff/shops/${unknown()}`),
    status: 404,
  },
  {
    area: 'supervision',
    name: "another district's shop",
    send: () => page(t.staff, 'GET', `/staff/shops/${huangpuShopId}`),
    status: 404,
  },
  ...(
    [
      ['an unknown level', { level: 'extreme', reason: '复查' }, 400],
      ['a reason with NUL', { level: 'high', reason: `复查${NUL}` }, 400],
      ['a reason over 500 characters', { level: 'high', reason: '长'.repeat(501) }, 400],
      ['no reason', { level: 'high', reason: '   ' }, 400],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'supervision',
    name: `risk level set with ${name}`,
    send: () => page(t.staff, 'POST', `/staff/shops/${shopId}/level`, body),
    status,
  })),
  {
    area: 'supervision',
    name: "risk level of another district's shop",
    send: () =>
      page(t.staff, 'POST', `/staff/shops/${huangpuShopId}/level`, { level: 'high', reason: '复查' }),
    status: 404,
  },
  {
    area: 'supervision',
    name: 'leader (read-only) sets a risk level',
    send: () => page(leader, 'POST', `/staff/shops/${shopId}/level`, { level: 'high', reason: '复查' }),
    status: 403,
  },
  {
    area: 'supervision',
    name: 'patrol sets a risk level',
    send: () => page(patrol, 'POST', `/staff/shops/${shopId}/level`, { level: 'low', reason: '复查' }),
    status: 403,
  },
  {
    area: 'supervision',
    name: 'inspection photo that is a text file called .jpg',
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${shopId}`,
        multipartForm({ outcome: 'compliant', notes: '正常' }, [TEXT_AS_JPEG]),
      ),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection with an SVG named .png',
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${shopId}`,
        multipartForm({ outcome: 'compliant', notes: '' }, [
          {
            field: 'photos',
            name: 'a.png',
            type: 'image/png',
            bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
          },
        ]),
      ),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection with NUL in the notes',
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${shopId}`,
        multipartForm({ outcome: 'problem', notes: `脏${NUL}乱` }),
      ),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection with notes over 2000 characters',
    send: () =>
      sendForm(patrol, `/staff/inspections/${shopId}`, multipartForm({ outcome: 'problem', notes: LONG })),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection with an unknown outcome',
    send: () =>
      sendForm(patrol, `/staff/inspections/${shopId}`, multipartForm({ outcome: 'closed_down', notes: '' })),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection finding a problem without saying what',
    send: () =>
      sendForm(patrol, `/staff/inspections/${shopId}`, multipartForm({ outcome: 'problem', notes: '  ' })),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection form cut inside a photo',
    send: () =>
      sendRawMultipart(
        patrol,
        `/staff/inspections/${shopId}`,
        '--XyZ\r\ncontent-disposition: form-data; name="outcome"\r\n\r\ncompliant\r\n--XyZ\r\ncontent-disposition: form-data; name="photos"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n\xff\xd8\xff',
      ),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection with a boundary that never appears',
    send: () => sendRawMultipart(patrol, `/staff/inspections/${shopId}`, 'just some bytes', 'nothere'),
  },
  {
    area: 'supervision',
    name: 'inspection photo over 8 MB',
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${shopId}`,
        multipartForm({ outcome: 'compliant', notes: '' }, [
          {
            field: 'photos',
            name: 'big.jpg',
            type: 'image/jpeg',
            bytes: Buffer.concat([jpeg!, Buffer.alloc(8 * 1024 * 1024)]),
          },
        ]),
      ),
    status: 413,
  },
  {
    area: 'supervision',
    name: 'inspection form with more fields than it has',
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${shopId}`,
        multipartForm({ outcome: 'compliant', notes: '', a: '1', b: '2', c: '3', d: '4' }),
      ),
    status: 413,
  },
  {
    area: 'supervision',
    name: 'inspection sent as JSON',
    send: () => page(patrol, 'POST', `/staff/inspections/${shopId}`, { outcome: 'compliant', notes: '' }),
    status: 415,
  },
  {
    area: 'supervision',
    name: "inspection of another district's shop",
    send: () =>
      sendForm(
        patrol,
        `/staff/inspections/${huangpuShopId}`,
        multipartForm({ outcome: 'compliant', notes: '' }),
      ),
    status: 404,
  },
  {
    area: 'supervision',
    name: 'inspection by the leader (read-only)',
    send: () =>
      sendForm(leader, `/staff/inspections/${shopId}`, multipartForm({ outcome: 'compliant', notes: '' })),
    status: 403,
  },
  {
    area: 'supervision',
    name: 'inspection photo with an id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/inspections/photos/..%2F..%2Fetc%2Fpasswd'),
    status: 400,
  },
  {
    area: 'supervision',
    name: 'inspection photo that does not exist',
    send: () => page(t.staff, 'GET', `/staff/inspections/photos/${unknown()}`),
    status: 404,
  },
  {
    area: 'supervision',
    name: 'inspection form of a shop id with NUL',
    send: () => page(patrol, 'GET', '/staff/inspections/%00/new'),
    status: 400,
  },

  // --- credit (src/credit): the public list, the staff page, repairs from the portal and from staff ---
  {
    area: 'credit',
    name: 'credit export in an unknown format',
    send: () => page(t.staff, 'GET', '/staff/credit/export?format=xml'),
    status: 400,
  },
  {
    area: 'credit',
    name: 'credit export by the patrol',
    send: () => page(patrol, 'GET', '/staff/credit/export?format=csv'),
    status: 403,
  },
  ...(
    [
      ['a reason with NUL', { reason: `已整改${NUL}`, requestKey: 'hostile-key-0001' }, 400],
      ['a reason over 2000 characters', { reason: LONG, requestKey: 'hostile-key-0002' }, 400],
      ['a reason of spaces', { reason: '   ', requestKey: 'hostile-key-0003' }, undefined],
      ['a request key with markup', { reason: '已整改', requestKey: '<script>alert(1)</script>' }, 400],
      ['a request key too short', { reason: '已整改', requestKey: 'k' }, 400],
      ['a reason as a number', { reason: 12, requestKey: 'hostile-key-0004' }, undefined],
      ['a field of its own', { reason: '已整改', requestKey: 'hostile-key-0005', granted: true }, 400],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'credit',
    name: `staff repair application with ${name}`,
    send: () => inj(t.staff, 'POST', `/api/credit/items/${unknown()}/repairs`, body),
    status,
  })),
  {
    area: 'credit',
    name: 'staff repair application for an item that does not exist',
    send: () =>
      inj(t.staff, 'POST', `/api/credit/items/${unknown()}/repairs`, {
        reason: '已整改',
        requestKey: 'hostile-key-0006',
      }),
    status: 404,
  },
  {
    area: 'credit',
    name: 'staff repair application with an item id that is not a uuid',
    send: () =>
      inj(t.staff, 'POST', '/api/credit/items/1%20or%201=1/repairs', {
        reason: 'x',
        requestKey: 'hostile-key-0007',
      }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair application by the leader (read-only)',
    send: () =>
      inj(leader, 'POST', `/api/credit/items/${unknown()}/repairs`, {
        reason: 'x',
        requestKey: 'hostile-key-0008',
      }),
    status: 403,
  },
  {
    area: 'credit',
    name: 'repair application form by the patrol',
    send: () =>
      page(patrol, 'POST', `/staff/credit/items/${unknown()}/repair`, {
        reason: 'x',
        requestKey: 'hostile-key-0009',
      }),
    status: 403,
  },
  {
    area: 'credit',
    name: 'repair application form with NUL',
    send: () =>
      page(t.staff, 'POST', `/staff/credit/items/${unknown()}/repair`, {
        reason: `x${NUL}`,
        requestKey: 'hostile-key-0010',
      }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair decision that is neither grant nor refuse',
    send: () => page(legal, 'POST', `/staff/credit/repairs/${unknown()}/decision`, { decision: 'maybe' }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair decision with a note over 2000 characters',
    send: () =>
      page(legal, 'POST', `/staff/credit/repairs/${unknown()}/decision`, { decision: 'refuse', note: LONG }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair decision on a repair that does not exist',
    send: () => page(legal, 'POST', `/staff/credit/repairs/${unknown()}/decision`, { decision: 'grant' }),
    status: 404,
  },
  {
    area: 'credit',
    name: 'repair decision by district staff',
    send: () => page(t.staff, 'POST', `/staff/credit/repairs/${unknown()}/decision`, { decision: 'grant' }),
    status: 403,
  },
  {
    area: 'credit',
    name: 'repair decision by the leader (read-only)',
    send: () => page(leader, 'POST', `/staff/credit/repairs/${unknown()}/decision`, { decision: 'grant' }),
    status: 403,
  },
  {
    area: 'credit',
    name: 'portal credit page under a token of 201 characters',
    send: () => portalGetPath(`/n/${'a'.repeat(201)}/credit`),
    status: 414,
  },
  {
    area: 'credit',
    name: 'portal credit page under a token with NUL',
    send: () => portalGetPath('/n/abc%00def/credit'),
    status: 400,
  },
  {
    area: 'credit',
    name: 'portal repair application with NUL in the reason',
    send: () => portalCredit({ reason: `已整改${NUL}`, requestKey: 'hostile-key-0011' }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'portal repair application with an empty reason',
    send: () => portalCredit({ reason: '', requestKey: 'hostile-key-0012' }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'portal repair application of spaces',
    send: () => portalCredit({ reason: '    ', requestKey: 'hostile-key-0013' }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'portal repair application with a bad request key',
    send: () => portalCredit({ reason: '已整改', requestKey: "'; drop table credit_repairs;--" }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'cross-site portal repair application',
    send: () =>
      portalCredit({ reason: '已整改', requestKey: 'hostile-key-0015' }, { origin: 'https://evil.example' }),
    status: 403,
  },
  {
    area: 'credit',
    name: 'portal repair application with a malformed Origin',
    send: () => portalCredit({ reason: '已整改', requestKey: 'hostile-key-0016' }, { origin: 'http://[::1' }),
    status: 403,
  },

  {
    area: 'credit',
    name: 'staff repair application of spaces for a published item',
    send: () =>
      inj(t.staff, 'POST', `/api/credit/items/${creditItemId}/repairs`, {
        reason: '    ',
        requestKey: 'hostile-key-0101',
      }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'second repair application while one waits',
    send: () =>
      inj(t.staff, 'POST', `/api/credit/items/${creditItemId}/repairs`, {
        reason: '已整改',
        requestKey: 'hostile-key-0102',
      }),
    status: 409,
  },
  {
    area: 'credit',
    name: "repair application replaying another application's request key",
    send: () => portalCredit({ reason: '已整改', requestKey: REPAIR_KEY }),
    status: 409,
  },
  {
    area: 'credit',
    name: 'portal repair application of spaces for a published item',
    send: () => portalCredit({ reason: '   ', requestKey: 'hostile-key-0103' }),
    status: 400,
  },
  {
    area: 'credit',
    name: "repair application for another district's item",
    send: () =>
      inj(huangpu, 'POST', `/api/credit/items/${creditItemId}/repairs`, {
        reason: '已整改',
        requestKey: 'hostile-key-0104',
      }),
    status: 404,
  },
  {
    area: 'credit',
    name: 'repair refused without a reason',
    send: () =>
      page(legal, 'POST', `/staff/credit/repairs/${repairId}/decision`, { decision: 'refuse', note: '  ' }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair decision with NUL in the note',
    send: () =>
      page(legal, 'POST', `/staff/credit/repairs/${repairId}/decision`, {
        decision: 'grant',
        note: `同意${NUL}`,
      }),
    status: 400,
  },
  {
    area: 'credit',
    name: 'repair decision by the patrol',
    send: () => page(patrol, 'POST', `/staff/credit/repairs/${repairId}/decision`, { decision: 'grant' }),
    status: 403,
  },
  {
    area: 'credit',
    name: "repair decision by another district's staff",
    send: () => page(huangpu, 'POST', `/staff/credit/repairs/${repairId}/decision`, { decision: 'grant' }),
    status: 403,
  },

  // --- case-file review (src/case-review): draws, scoring sheets, supervision notices, withdrawals ---
  ...(
    [
      ['closed from after closed to', { closedFrom: '2026-03-01', closedTo: '2026-01-01', size: 5 }],
      ['year 99999', { closedFrom: '99999-01-01', closedTo: '99999-12-31', size: 5 }],
      ['2026-02-30', { closedFrom: '2026-02-30', closedTo: '2026-03-31', size: 5 }],
      ['a date that is not a date', { closedFrom: 'last year', closedTo: '2026-01-01', size: 5 }],
      ['size 0', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 0 }],
      ['size 1e30', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 1e30 }],
      ['size -1', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: -1 }],
      ['size 2.5', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 2.5 }],
      ['size as a word', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 'NaN' }],
      [
        'an unknown district',
        { districtId: 'atlantis', closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 5 },
      ],
      ['NUL in a date', { closedFrom: `2026-01-0${NUL}`, closedTo: '2026-01-31', size: 5 }],
    ] as const
  ).map(([name, body]): HostileCase => ({
    area: 'case review',
    name: `draw with ${name}`,
    send: () => inj(name === 'an unknown district' ? t.admin : legal, 'POST', '/api/case-review/draws', body),
  })),
  {
    area: 'case review',
    name: 'draw by district staff',
    send: () =>
      inj(t.staff, 'POST', '/api/case-review/draws', {
        closedFrom: '2026-01-01',
        closedTo: '2026-01-31',
        size: 1,
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'draw by the leader (read-only)',
    send: () =>
      inj(leader, 'POST', '/api/case-review/draws', {
        closedFrom: '2026-01-01',
        closedTo: '2026-01-31',
        size: 1,
      }),
    status: 403,
  },
  ...(
    [
      ['size as a word', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: 'NaN' }],
      ['size 1e30', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: '1e30' }],
      ['size -1', { closedFrom: '2026-01-01', closedTo: '2026-01-31', size: '-1' }],
      ['from after to', { closedFrom: '2026-03-01', closedTo: '2026-01-01', size: '5' }],
      ['2026-02-30', { closedFrom: '2026-02-30', closedTo: '2026-03-31', size: '5' }],
    ] as const
  ).map(([name, body]): HostileCase => ({
    area: 'case review',
    name: `draw form with ${name}`,
    send: () => page(legal, 'POST', '/staff/case-review/draws', body),
    status: 400,
  })),
  {
    area: 'case review',
    name: 'draw with an id that is not a uuid',
    send: () => inj(legal, 'GET', '/api/case-review/draws/%3Cscript%3E'),
    status: 400,
  },
  {
    area: 'case review',
    name: 'draw that does not exist',
    send: () => inj(legal, 'GET', `/api/case-review/draws/${unknown()}`),
    status: 404,
  },
  {
    area: 'case review',
    name: 'findings of an unknown kind',
    send: () => inj(legal, 'GET', '/api/case-review/findings?kind=everything'),
    status: 400,
  },
  {
    area: 'case review',
    name: 'findings with resolved=maybe',
    send: () => inj(legal, 'GET', '/api/case-review/findings?resolved=maybe'),
    status: 400,
  },
  {
    area: 'case review',
    name: 'checks run by the patrol',
    send: () => inj(patrol, 'POST', '/api/case-review/run', {}),
    status: 403,
  },
  {
    area: 'case review',
    name: 'checks run by the leader (read-only)',
    send: () => page(leader, 'POST', '/staff/case-review/run', {}),
    status: 403,
  },
  ...(
    [
      ['a score of 101', { facts: 101, evidence: 10, procedure: 10, law: 10, documents: 10 }],
      ['a score of -1', { facts: -1, evidence: 10, procedure: 10, law: 10, documents: 10 }],
      ['a score of 1e30', { facts: 1e30, evidence: 10, procedure: 10, law: 10, documents: 10 }],
      ['a score of 2.5', { facts: 2.5, evidence: 10, procedure: 10, law: 10, documents: 10 }],
      ['a score as a word', { facts: 'NaN', evidence: 10, procedure: 10, law: 10, documents: 10 }],
      ['a missing item', { facts: 10, evidence: 10, procedure: 10, law: 10 }],
      ['an item of its own', { facts: 10, evidence: 10, procedure: 10, law: 10, documents: 10, bonus: 50 }],
    ] as const
  ).map(([name, scores]): HostileCase => ({
    area: 'case review',
    name: `scoring sheet with ${name}`,
    send: () => inj(legal, 'POST', `/api/case-review/sheets/${unknown()}/scores`, { scores }),
    status: 400,
  })),
  {
    area: 'case review',
    name: 'scoring sheet comment with NUL',
    send: () =>
      inj(legal, 'POST', `/api/case-review/sheets/${unknown()}/scores`, {
        scores: { facts: 10, evidence: 10, procedure: 10, law: 10, documents: 10 },
        comment: `好${NUL}`,
      }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'scoring sheet that does not exist',
    send: () =>
      inj(legal, 'POST', `/api/case-review/sheets/${unknown()}/scores`, {
        scores: { facts: 10, evidence: 10, procedure: 10, law: 10, documents: 10 },
      }),
    status: 404,
  },
  {
    area: 'case review',
    name: 'patrol posts a case-review score',
    send: () =>
      inj(patrol, 'POST', `/api/case-review/sheets/${unknown()}/scores`, {
        scores: { facts: 10, evidence: 10, procedure: 10, law: 10, documents: 10 },
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'leader (read-only) posts a score form',
    send: () =>
      page(leader, 'POST', `/staff/case-review/sheets/${unknown()}`, {
        facts: '10',
        evidence: '10',
        procedure: '10',
        law: '10',
        documents: '10',
      }),
    status: 403,
  },
  ...['1e3', '-1', 'NaN', '', '9999'].map((facts): HostileCase => ({
    area: 'case review',
    name: `score form with facts=${JSON.stringify(facts)}`,
    send: () =>
      page(legal, 'POST', `/staff/case-review/sheets/${unknown()}`, {
        facts,
        evidence: '10',
        procedure: '10',
        law: '10',
        documents: '10',
      }),
    status: 400,
  })),
  ...(
    [
      [
        'a source that is not a uuid',
        { sourceKind: 'finding', sourceId: 'x', request: '整改', dueOn: '2026-12-31' },
        400,
      ],
      [
        'an unknown source kind',
        { sourceKind: 'case', sourceId: unknown(), request: '整改', dueOn: '2026-12-31' },
        400,
      ],
      [
        'a source that does not exist',
        { sourceKind: 'finding', sourceId: unknown(), request: '整改', dueOn: '2026-12-31' },
        404,
      ],
      [
        'a due day that does not exist',
        { sourceKind: 'sheet', sourceId: unknown(), request: '整改', dueOn: '2026-02-30' },
        undefined,
      ],
      [
        'a due day in year 99999',
        { sourceKind: 'sheet', sourceId: unknown(), request: '整改', dueOn: '99999-01-01' },
        400,
      ],
      [
        'a request with NUL',
        { sourceKind: 'sheet', sourceId: unknown(), request: `整${NUL}改`, dueOn: '2026-12-31' },
        400,
      ],
      [
        'a request over 2000 characters',
        { sourceKind: 'sheet', sourceId: unknown(), request: LONG, dueOn: '2026-12-31' },
        400,
      ],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'case review',
    name: `supervision notice with ${name}`,
    send: () => inj(legal, 'POST', '/api/supervision-notices', body),
    status,
  })),
  {
    area: 'case review',
    name: 'supervision notice sent by district staff',
    send: () =>
      inj(t.staff, 'POST', '/api/supervision-notices', {
        sourceKind: 'finding',
        sourceId: unknown(),
        request: '整改',
        dueOn: '2026-12-31',
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'supervision notice form by the leader (read-only)',
    send: () =>
      page(leader, 'POST', '/staff/case-review/notices', {
        sourceKind: 'finding',
        sourceId: unknown(),
        request: '整改',
        dueOn: '2026-12-31',
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'supervision notice form with a source that is not a uuid',
    send: () => page(legal, 'GET', '/staff/case-review/notices/new?sourceKind=finding&sourceId=%00'),
    status: 400,
  },
  {
    area: 'case review',
    name: 'answer to a supervision notice that does not exist',
    send: () => inj(t.staff, 'POST', `/api/supervision-notices/${unknown()}/answer`, { answer: '已整改' }),
    status: 404,
  },
  {
    area: 'case review',
    name: 'answer to a supervision notice with NUL',
    send: () => inj(t.staff, 'POST', `/api/supervision-notices/${unknown()}/answer`, { answer: `已${NUL}` }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'answer to a supervision notice by the leader (read-only)',
    send: () => page(leader, 'POST', `/staff/case-review/notices/${unknown()}/answer`, { answer: '已整改' }),
    status: 403,
  },
  ...(
    [
      ['a reason with NUL', { reason: `撤销${NUL}` }, 400],
      ['a reason over 2000 characters', { reason: LONG }, 400],
      ['a reason of spaces', { reason: '   ' }, 400],
      ['a reason as a list', { reason: ['a', 'b'] }, 400],
      ['a field of its own', { reason: '撤销', approvedBy: 'me' }, 400],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'case review',
    name: `withdrawal proposed with ${name}`,
    send: () => inj(t.staff, 'POST', `/api/cases/${t.party.caseId}/withdrawals`, body),
    status,
  })),
  {
    area: 'case review',
    name: 'withdrawal of a case that does not exist',
    send: () => inj(t.staff, 'POST', `/api/cases/${unknown()}/withdrawals`, { reason: '撤销' }),
    status: 404,
  },
  {
    area: 'case review',
    name: "withdrawal of another district's case",
    send: () => inj(huangpu, 'POST', `/api/cases/${t.party.caseId}/withdrawals`, { reason: '撤销' }),
  },
  {
    area: 'case review',
    name: 'withdrawal proposed by the patrol',
    send: () => inj(patrol, 'POST', `/api/cases/${t.party.caseId}/withdrawals`, { reason: '撤销' }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'withdrawal form by the leader (read-only)',
    send: () => page(leader, 'POST', `/staff/cases/${t.party.caseId}/withdrawals`, { reason: '撤销' }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'withdrawal decision on a withdrawal that does not exist',
    send: () =>
      inj(head, 'POST', `/api/cases/${t.party.caseId}/withdrawals/${unknown()}/decision`, { approve: true }),
    status: 404,
  },
  {
    area: 'case review',
    name: 'withdrawal decision as a word',
    send: () =>
      inj(head, 'POST', `/api/cases/${t.party.caseId}/withdrawals/${unknown()}/decision`, { approve: 'yes' }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'withdrawal decision with a withdrawal id that is not a uuid',
    send: () =>
      page(head, 'POST', `/staff/cases/${t.party.caseId}/withdrawals/%00/decision`, { decision: 'approve' }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'withdrawal decision by the patrol',
    send: () =>
      inj(patrol, 'POST', `/api/cases/${t.party.caseId}/withdrawals/${unknown()}/decision`, {
        approve: true,
      }),
    status: 403,
  },

  ...(
    [
      ['a due day before today', { dueOn: '2020-01-01' }, 400],
      ['a request of spaces', { request: '    ' }, 400],
      ['a due day of month 00', { dueOn: '2026-00-10' }, 400],
    ] as const
  ).map(([name, over, status]): HostileCase => ({
    area: 'case review',
    name: `supervision notice on a real finding with ${name}`,
    send: async () => {
      const { rows } = await t.world.ctx.pool.query<{ source_id: string }>(
        'select source_id from supervision_notices where id = $1',
        [noticeId],
      );
      return inj(legal, 'POST', '/api/supervision-notices', {
        sourceKind: 'finding',
        sourceId: rows[0]!.source_id,
        request: '限期整改',
        dueOn: '2999-12-31',
        ...over,
      });
    },
    status,
  })),
  {
    area: 'case review',
    name: 'answer of spaces to a supervision notice',
    send: () => inj(t.staff, 'POST', `/api/supervision-notices/${noticeId}/answer`, { answer: '   ' }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'answer to a supervision notice by the legal reviewer',
    send: () => inj(legal, 'POST', `/api/supervision-notices/${noticeId}/answer`, { answer: '已整改' }),
    status: 403,
  },
  {
    area: 'case review',
    name: "answer to another district's supervision notice",
    send: () => inj(huangpu, 'POST', `/api/supervision-notices/${noticeId}/answer`, { answer: '已整改' }),
    status: 404,
  },
  {
    area: 'case review',
    name: 'supervision notice page of another district',
    send: () => page(huangpu, 'GET', `/staff/case-review/notices/${noticeId}`),
    status: 404,
  },
  {
    area: 'case review',
    name: 'withdrawal refused without a note',
    send: () =>
      inj(head, 'POST', `/api/cases/${withdrawalCaseId}/withdrawals/${withdrawalId}/decision`, {
        approve: false,
      }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'withdrawal refused with a note of spaces',
    send: () =>
      page(head, 'POST', `/staff/cases/${withdrawalCaseId}/withdrawals/${withdrawalId}/decision`, {
        decision: 'refuse',
        note: '   ',
      }),
    status: 400,
  },
  {
    area: 'case review',
    name: 'withdrawal decided under another case',
    send: () =>
      inj(head, 'POST', `/api/cases/${t.party.caseId}/withdrawals/${withdrawalId}/decision`, {
        approve: true,
      }),
    status: 404,
  },
  {
    area: 'case review',
    name: 'withdrawal approved by district staff',
    send: () =>
      inj(t.staff, 'POST', `/api/cases/${withdrawalCaseId}/withdrawals/${withdrawalId}/decision`, {
        approve: true,
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'withdrawal approved by the leader (read-only)',
    send: () =>
      page(leader, 'POST', `/staff/cases/${withdrawalCaseId}/withdrawals/${withdrawalId}/decision`, {
        decision: 'approve',
      }),
    status: 403,
  },
  {
    area: 'case review',
    name: 'second withdrawal while one waits',
    send: () => inj(t.staff, 'POST', `/api/cases/${withdrawalCaseId}/withdrawals`, { reason: '再次撤销' }),
    status: 409,
  },

  // --- field tasks (src/field-tasks): the patrol's report, photos, voice calls ---
  {
    area: 'field tasks',
    name: 'report photo that is a text file called .jpg',
    send: () => fieldReport({}),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report photo that is not base64',
    send: () => fieldReport({ photos: [{ name: 'a.jpg', contentBase64: '!!not base64!!' }] }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report with no photo',
    send: () => fieldReport({ photos: [] }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report naming a party id that is not a uuid',
    send: () => fieldReport({ outcome: 'party', partyId: "1' or '1'='1" }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report naming a party that does not exist',
    send: async () =>
      fieldReport({
        outcome: 'party',
        partyId: unknown(),
        photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }],
      }),
  },
  {
    area: 'field tasks',
    name: "report naming another district's party",
    send: async () =>
      fieldReport({
        outcome: 'party',
        partyId: huangpuShopId,
        photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }],
      }),
  },
  {
    area: 'field tasks',
    name: 'report registering a party whose ID number is wrong',
    send: async () =>
      fieldReport({
        outcome: 'party',
        newParty: { kind: 'person', name: '王某', idNumber: '310115199001010011' },
        photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }],
      }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report registering a party with NUL in the name',
    send: () => fieldReport({ outcome: 'party', newParty: { kind: 'person', name: `王${NUL}` } }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report with a note of 100 000 characters',
    send: () => fieldReport({ note: '长'.repeat(100_000) }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report of an unknown outcome',
    send: () => fieldReport({ outcome: 'fined' }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report of a task that does not exist',
    send: async () =>
      fieldReport(
        { photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }] },
        patrol,
        unknown(),
      ),
    status: 404,
  },
  {
    area: 'field tasks',
    name: 'report by the leader (read-only)',
    send: () => fieldReport({}, leader),
    status: 403,
  },
  {
    area: 'field tasks',
    name: "report by another district's staff",
    send: async () =>
      fieldReport(
        { photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }] },
        huangpu,
      ),
  },
  {
    area: 'field tasks',
    name: 'report naming a party of the register and a new one at once',
    send: async () =>
      fieldReport({
        outcome: 'party',
        partyId: shopId,
        newParty: { kind: 'person', name: '王某' },
        photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }],
      }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report of a corrected scene that names a party',
    send: async () =>
      fieldReport({
        outcome: 'corrected',
        partyId: shopId,
        photos: [{ name: 'a.jpg', contentBase64: (await photoBytes()).toString('base64') }],
      }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report with five photos',
    send: async () =>
      fieldReport({
        photos: Array.from({ length: 5 }, () => ({ name: 'a.jpg', contentBase64: 'AAAA' })),
      }),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form with five photos',
    send: async () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm(
          { outcome: 'corrected' },
          Array.from({ length: 5 }, (_, i) => ({
            field: 'photos',
            name: `${i}.jpg`,
            type: 'image/jpeg',
            bytes: jpeg!,
          })),
        ),
      ),
    status: 413,
  },
  {
    area: 'field tasks',
    name: 'report form with twenty fields',
    send: () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm(Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`f${i}`, 'x']))),
      ),
    status: 413,
  },
  {
    area: 'field tasks',
    name: 'report form with a field named __proto__',
    send: () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm(
          Object.fromEntries([
            ['__proto__', 'x'],
            ['outcome', 'corrected'],
            ['constructor', 'y'],
          ]),
          [TEXT_AS_JPEG],
        ),
      ),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form photo that is a text file called .jpg',
    send: () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm({ outcome: 'corrected' }, [TEXT_AS_JPEG]),
      ),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form with NUL in the note',
    send: () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm({ outcome: 'corrected', note: `x${NUL}` }),
      ),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form with an unknown outcome',
    send: () =>
      sendForm(patrol, `/staff/field-tasks/${fieldTaskId}/report`, multipartForm({ outcome: 'fined' })),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form with a party id that is not a uuid',
    send: () =>
      sendForm(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        multipartForm({ outcome: 'party', partyId: '<script>' }, [TEXT_AS_JPEG]),
      ),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form cut inside a photo',
    send: () =>
      sendRawMultipart(
        patrol,
        `/staff/field-tasks/${fieldTaskId}/report`,
        '--XyZ\r\ncontent-disposition: form-data; name="outcome"\r\n\r\ncorrected\r\n--XyZ\r\ncontent-disposition: form-data; name="photos"; filename="a.jpg"\r\ncontent-type: image/jpeg\r\n\r\n\xff\xd8',
      ),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'report form sent as JSON',
    send: () => page(patrol, 'POST', `/staff/field-tasks/${fieldTaskId}/report`, { outcome: 'corrected' }),
    status: 415,
  },
  ...(
    [
      ['an unknown outcome', { outcome: 'hung_up' }, 400],
      ['a call in year 99999', { outcome: 'answered', calledAt: '+099999-01-01T00:00:00Z' }, 400],
      ['a call on 2026-02-30', { outcome: 'answered', calledAt: '2026-02-30T10:00:00+08:00' }, 400],
      ['a call time that is not a time', { outcome: 'answered', calledAt: 'noon' }, 400],
      ['a note with NUL', { outcome: 'no_answer', note: `x${NUL}` }, 400],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'field tasks',
    name: `voice call with ${name}`,
    send: () => inj(t.staff, 'POST', `/api/field-tasks/${fieldTaskId}/call`, body),
    status,
  })),
  {
    area: 'field tasks',
    name: 'voice call recorded on a task that is not a call',
    send: () => inj(t.staff, 'POST', `/api/field-tasks/${fieldTaskId}/call`, { outcome: 'answered' }),
  },
  {
    area: 'field tasks',
    name: 'voice call on a task that does not exist',
    send: () => inj(t.staff, 'POST', `/api/field-tasks/${unknown()}/call`, { outcome: 'answered' }),
    status: 404,
  },
  {
    area: 'field tasks',
    name: 'voice call recorded by the leader (read-only)',
    send: () => inj(leader, 'POST', `/api/field-tasks/${fieldTaskId}/call`, { outcome: 'answered' }),
    status: 403,
  },
  ...(
    [
      ['an unknown outcome', { outcome: 'hung_up' }],
      ['a call on 2026-02-30', { outcome: 'answered', calledAt: '2026-02-30T10:00' }],
      ['a call in year 99999', { outcome: 'answered', calledAt: '99999-01-01T10:00' }],
      ['a call at 25:00', { outcome: 'answered', calledAt: '2026-03-02T25:00' }],
      ['a call time over 20 characters', { outcome: 'answered', calledAt: '2026-03-02T10:00:00.000000' }],
    ] as const
  ).map(([name, body]): HostileCase => ({
    area: 'field tasks',
    name: `voice call form with ${name}`,
    send: () => page(t.staff, 'POST', `/staff/field-tasks/${fieldTaskId}/call`, body),
    status: 400,
  })),
  {
    area: 'field tasks',
    name: 'task photo with a hash that is not one',
    send: () => page(patrol, 'GET', `/staff/field-tasks/${fieldTaskId}/photos/..%2F..%2Fetc%2Fpasswd`),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'task photo that does not exist',
    send: () => page(patrol, 'GET', `/staff/field-tasks/${fieldTaskId}/photos/${'0'.repeat(64)}`),
    status: 404,
  },
  {
    area: 'field tasks',
    name: 'task page with an id that is not a uuid',
    send: () => page(patrol, 'GET', '/staff/field-tasks/%3Cscript%3E'),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'task page search with NUL',
    send: () => page(patrol, 'GET', `/staff/field-tasks/${fieldTaskId}?q=%00`),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'task page search over the limit',
    send: () => page(patrol, 'GET', `/staff/field-tasks/${fieldTaskId}?q=${'x'.repeat(5000)}`),
    status: 400,
  },
  {
    area: 'field tasks',
    name: 'task list opened by the leader',
    send: () => inj(leader, 'GET', '/api/field-tasks'),
    status: 403,
  },

  // --- service by announcement (src/notices/announcement*) ---
  ...(
    [
      ['a notice id that is not a uuid', { noticeId: "1' or '1'='1", reason: '查无此人' }, 400],
      ['a reason with NUL', { noticeId: 'NOTICE', reason: `查无${NUL}此人` }, 400],
      ['an empty reason', { noticeId: 'NOTICE', reason: '' }, 400],
      ['a reason over 500 characters', { noticeId: 'NOTICE', reason: '长'.repeat(501) }, 400],
      ['a notice that does not exist', { noticeId: 'UNKNOWN', reason: '查无此人' }, 404],
      ['a notice not sent by post', { noticeId: 'NOTICE', reason: '查无此人' }, 409],
    ] as const
  ).map(([name, body, status]): HostileCase => ({
    area: 'announcements',
    name: `postal return with ${name}`,
    send: () =>
      inj(t.staff, 'POST', `/api/cases/${t.party.caseId}/postal-returned`, {
        ...body,
        noticeId:
          body.noticeId === 'NOTICE'
            ? t.party.noticeId
            : body.noticeId === 'UNKNOWN'
              ? unknown()
              : body.noticeId,
      }),
    status,
  })),
  {
    area: 'announcements',
    name: 'postal return for a case that does not exist',
    send: () =>
      inj(t.staff, 'POST', `/api/cases/${unknown()}/postal-returned`, {
        noticeId: t.party.noticeId,
        reason: '拒收',
      }),
    status: 404,
  },
  {
    area: 'announcements',
    name: "postal return of another district's case",
    send: () =>
      inj(huangpu, 'POST', `/api/cases/${t.party.caseId}/postal-returned`, {
        noticeId: t.party.noticeId,
        reason: '拒收',
      }),
  },
  {
    area: 'announcements',
    name: 'postal return recorded by the patrol',
    send: () =>
      inj(patrol, 'POST', `/api/cases/${t.party.caseId}/postal-returned`, {
        noticeId: t.party.noticeId,
        reason: '拒收',
      }),
    status: 403,
  },
  {
    area: 'announcements',
    name: 'announcement before the other means failed',
    send: () =>
      inj(t.staff, 'POST', `/api/cases/${t.party.caseId}/announcement`, { noticeId: t.party.noticeId }),
    status: 409,
  },
  {
    area: 'announcements',
    name: 'announcement of a notice id with NUL',
    send: () => inj(t.staff, 'POST', `/api/cases/${t.party.caseId}/announcement`, { noticeId: NUL }),
    status: 400,
  },
  {
    area: 'announcements',
    name: 'announcement published by the leader (read-only)',
    send: () =>
      page(leader, 'POST', `/staff/cases/${t.party.caseId}/delivery/announcement`, {
        noticeId: t.party.noticeId,
      }),
    status: 403,
  },
  {
    area: 'announcements',
    name: 'postal return form with a reason of markup over the limit',
    send: () =>
      page(t.staff, 'POST', `/staff/cases/${t.party.caseId}/delivery/postal-returned`, {
        noticeId: t.party.noticeId,
        reason: `<script>${'x'.repeat(600)}</script>`,
      }),
    status: 400,
  },
  {
    area: 'announcements',
    name: 'delivery page of a case id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/cases/%00/delivery'),
    status: 400,
  },
  {
    area: 'announcements',
    name: 'delivery page of a case that does not exist',
    send: () => page(t.staff, 'GET', `/staff/cases/${unknown()}/delivery`),
    status: 404,
  },

  // --- complaint replies and spot checks (src/complaints) ---
  {
    area: 'complaints',
    name: 'hotline replies fetched with a signature from an hour ago',
    send: () => hotlineSigned('/api/hotline/replies/fetch', '{}', Date.now() - 3_600_000),
    status: 401,
  },
  {
    area: 'complaints',
    name: 'hotline replies acknowledged with a signature from an hour ago',
    send: () =>
      hotlineSigned('/api/hotline/replies/ack', JSON.stringify({ ids: [unknown()] }), Date.now() - 3_600_000),
    status: 401,
  },
  {
    area: 'complaints',
    name: 'hotline replies fetched with limit 0',
    send: () => hotlineSigned('/api/hotline/replies/fetch', JSON.stringify({ limit: 0 })),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline replies fetched with limit 1e30',
    send: () => hotlineSigned('/api/hotline/replies/fetch', '{"limit":1e30}'),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline replies ack of 501 ids',
    send: () =>
      hotlineSigned(
        '/api/hotline/replies/ack',
        JSON.stringify({ ids: Array.from({ length: 501 }, unknown) }),
      ),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'spot check of a complaint that does not exist',
    send: () => page(t.staff, 'POST', `/staff/complaints/${unknown()}/spot-checks`, {}),
    status: 404,
  },
  {
    area: 'complaints',
    name: 'spot check of a complaint id that is not a uuid',
    send: () => page(t.staff, 'POST', '/staff/complaints/..%2F..%2Fetc/spot-checks', {}),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'spot check by the patrol',
    send: () => page(patrol, 'POST', `/staff/complaints/${unknown()}/spot-checks`, {}),
    status: 403,
  },
  {
    area: 'complaints',
    name: 'spot check image with an id that is not a uuid',
    send: () => page(t.staff, 'GET', `/staff/complaints/${unknown()}/spot-checks/%00/image`),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'spot check image that does not exist',
    send: () => page(t.staff, 'GET', `/staff/complaints/${unknown()}/spot-checks/${unknown()}/image`),
    status: 404,
  },
  {
    area: 'complaints',
    name: 'complaint list group that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/complaints?group=%3Cscript%3E'),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint page showReporter=maybe',
    send: () => page(t.staff, 'GET', `/staff/complaints/${unknown()}?showReporter=maybe`),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint form with NUL in the content',
    send: () => page(t.staff, 'POST', '/staff/complaints', { place: '某路', content: `x${NUL}` }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint form for an unknown district',
    send: () =>
      page(t.admin, 'POST', '/staff/complaints', { districtId: 'atlantis', place: '某路', content: 'x' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint form with a longitude of 1e30',
    send: () =>
      page(t.staff, 'POST', '/staff/complaints', {
        place: '某路',
        content: 'x',
        latitude: '31',
        longitude: '1e30',
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint outcome form on a complaint that does not exist',
    send: () =>
      page(t.staff, 'POST', `/staff/complaints/${unknown()}/outcome`, {
        outcome: 'substantiated',
        note: '属实',
      }),
    status: 404,
  },
  {
    area: 'complaints',
    name: 'complaint outcome form with a note over 2000 characters',
    send: () =>
      page(t.staff, 'POST', `/staff/complaints/${unknown()}/outcome`, {
        outcome: 'substantiated',
        note: LONG,
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint outcome by the leader (read-only)',
    send: () =>
      page(leader, 'POST', `/staff/complaints/${unknown()}/outcome`, {
        outcome: 'substantiated',
        note: '属实',
      }),
    status: 403,
  },

  {
    area: 'complaints',
    name: 'spot check of a complaint no camera watches',
    send: () => page(t.staff, 'POST', `/staff/complaints/${complaintId}/spot-checks`, {}),
  },
  {
    area: 'complaints',
    name: "spot check of another district's complaint",
    send: () => page(huangpu, 'POST', `/staff/complaints/${complaintId}/spot-checks`, {}),
  },
  {
    area: 'complaints',
    name: 'complaint transferred without naming the department (form)',
    send: () =>
      page(t.staff, 'POST', `/staff/complaints/${complaintId}/outcome`, {
        outcome: 'transferred',
        note: '移送',
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint outcome with a note of spaces',
    send: () =>
      inj(t.staff, 'POST', `/api/complaints/${complaintId}/outcome`, {
        outcome: 'substantiated',
        note: '   ',
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint outcome with a department of markup over 200 characters',
    send: () =>
      page(t.staff, 'POST', `/staff/complaints/${complaintId}/outcome`, {
        outcome: 'transferred',
        note: '移送',
        department: `<script>${'x'.repeat(200)}</script>`,
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: "outcome of another district's complaint",
    send: () =>
      inj(huangpu, 'POST', `/api/complaints/${complaintId}/outcome`, {
        outcome: 'substantiated',
        note: '属实',
      }),
  },

  // --- the leader's account is read-only: every form and API that changes something refuses it ---
  ...(
    [
      ['complaint form', 'POST', '/staff/complaints', () => ({ place: '某路', content: 'x' })],
      ['complaint API', 'POST', '/api/complaints', () => ({ place: { text: '某路' }, content: 'x' })],
      ['alert acknowledged', 'POST', () => `/staff/alerts/${alertId}/acknowledge`, () => ({})],
      ['case-review checks run (API)', 'POST', '/api/case-review/run', () => ({})],
      [
        'supervision notice (API)',
        'POST',
        '/api/supervision-notices',
        () => ({ sourceKind: 'finding', sourceId: unknown(), request: 'x', dueOn: '2999-01-01' }),
      ],
      [
        'withdrawal proposed (API)',
        'POST',
        () => `/api/cases/${t.party.caseId}/withdrawals`,
        () => ({ reason: 'x' }),
      ],
      [
        'postal return',
        'POST',
        () => `/api/cases/${t.party.caseId}/postal-returned`,
        () => ({ noticeId: t.party.noticeId, reason: '拒收' }),
      ],
      ['spot check', 'POST', () => `/staff/complaints/${complaintId}/spot-checks`, () => ({})],
      [
        'voice call form',
        'POST',
        () => `/staff/field-tasks/${fieldTaskId}/call`,
        () => ({ outcome: 'answered' }),
      ],
    ] as const
  ).map(([name, method, url, body]): HostileCase => ({
    area: 'leader',
    name: `leader (read-only): ${name}`,
    send: () => page(leader, method, typeof url === 'string' ? url : url(), body()),
    status: 403,
  })),

  // --- camera page with its alerts (src/cameras) ---
  {
    area: 'cameras',
    name: 'camera page with an id that is not a uuid',
    send: () => page(t.staff, 'GET', '/staff/cameras/1%20or%201=1'),
    status: 400,
  },
  {
    area: 'cameras',
    name: 'camera page with NUL in the id',
    send: () => page(t.staff, 'GET', '/staff/cameras/%00'),
    status: 400,
  },
  {
    area: 'cameras',
    name: "camera page of another district's camera",
    send: () => page(huangpu, 'GET', `/staff/cameras/${t.cameraId}`),
  },
  {
    area: 'cameras',
    name: 'camera page opened by the leader',
    send: () => page(leader, 'GET', `/staff/cameras/${t.cameraId}`),
    status: 403,
  },
];
