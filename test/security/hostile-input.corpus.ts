import { randomUUID } from 'node:crypto';
import { signedHeaders } from '../../src/notices/hmac-signature.js';
import { rectangle } from '../../src/rules/scene.fixtures.js';
import { DEV_HOTLINE_SECRET } from '../../src/config/hotline.js';
import { GATEWAY_SECRET } from '../support/case-fixtures.js';
import { PartyBrowser, type PortalWorld } from '../support/portal-client.js';
import { seedStaff, TestClient } from '../support/test-app.js';

/*
 * The corpus of hostile-input.test.ts: hostile requests at every door of the API process, each with the answer it
 * is owed and the tables it may add to. Add a row for every new way in; the runner sends them all.
 */

/** The running API, the accounts the corpus sends as, the camera it aims at and a party signed in to the portal. */
export interface HostileTarget {
  world: PortalWorld;
  admin: TestClient;
  staff: TestClient;
  cameraId: string;
  party: { token: string; browser: PartyBrowser; caseId: string; noticeId: string };
}

let world: PortalWorld;
let admin: TestClient;
let staff: TestClient;
let cameraId: string;
let party: { token: string; browser: PartyBrowser; caseId: string; noticeId: string };

/** Points the corpus at the running API; called before any case is sent. */
export function aimCorpusAt(target: HostileTarget): void {
  ({ world, admin, staff, cameraId, party } = target);
}

export interface Reply {
  status: number;
  body: string;
}

export const TABLES = [
  'cameras',
  'camera_versions',
  'zones',
  'parties',
  'statements',
  'device_records',
  'payment_callbacks',
  'payments',
  'hearings',
  'portal_sessions',
  'portal_tokens',
  'staff_users',
  'complaints',
  'complaint_replies',
  // the areas of hostile-input-areas.corpus.ts
  'alerts',
  'alert_events',
  'case_withdrawals',
  'case_review_runs',
  'case_review_findings',
  'case_review_draws',
  'case_review_sheets',
  'supervision_notices',
  'shop_risk',
  'shop_risk_history',
  'shop_risk_events',
  'shop_inspections',
  'shop_inspection_photos',
  'credit_items',
  'credit_repairs',
  'credit_exports',
  'field_tasks',
  'announcements',
  'stats_reports',
  'complaint_spot_checks',
] as const;
export type Table = (typeof TABLES)[number];

export interface HostileCase {
  area: string;
  name: string;
  send: () => Promise<Reply>;
  /** An exact status when one is owed; otherwise any 4xx. */
  status?: number;
  /** Tables this refusal may add a row to (a refused payment callback is kept, bounded). */
  may?: Table[];
}

const NUL = '\u0000';

export const inj = async (
  client: TestClient,
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> => {
  const r = await client.request(method, url, body, headers);
  return { status: r.statusCode, body: r.body };
};
const raw = async (
  method: 'GET' | 'POST',
  url: string,
  payload?: string,
  headers: Record<string, string> = {},
): Promise<Reply> => {
  const r = await world.ctx.app.inject({ method, url, payload, headers });
  return { status: r.statusCode, body: r.body };
};
const fetched = async (response: Promise<Response>): Promise<Reply> => {
  const r = await response;
  return { status: r.status, body: await r.text() };
};
const portalPost = (path: string, fields: Record<string, string> | FormData, headers = {}) =>
  fetched(
    party.browser.request(
      'POST',
      `/n/${party.token}${path}`,
      fields instanceof FormData ? fields : new URLSearchParams(fields),
      headers,
    ),
  );
const portalGet = (path: string) => fetched(party.browser.get(`/n/${party.token}${path}`));
const statement = (body: string, file?: { name: string; bytes: Buffer; type: string }) => {
  const form = new FormData();
  form.set('body', body);
  if (file) form.set('files', new Blob([file.bytes], { type: file.type }), file.name);
  return portalPost('/statement', form);
};
const callback = (body: string, headers: Record<string, string> = {}) =>
  raw('POST', '/api/payments/callback/sandbox', body, { 'content-type': 'application/json', ...headers });
const signedCallback = (body: string) =>
  callback(body, signedHeaders(world.ctx.config.paymentGatewaySecret, body));
const receipt = (body: string, signed = true) =>
  raw('POST', '/api/deliveries/receipts/sms', body, {
    'content-type': 'application/json',
    ...(signed ? signedHeaders(GATEWAY_SECRET, body) : {}),
  });
const hotline = (body: string, signed = true) =>
  raw('POST', '/api/hotline/complaints', body, {
    'content-type': 'application/json',
    ...(signed ? signedHeaders(DEV_HOTLINE_SECRET, body) : {}),
  });
const hotlineJson = (
  over: Record<string, unknown>,
  place: Record<string, unknown> = { text: '浦东新区某路1号' },
) =>
  hotline(
    JSON.stringify({
      complaintNumber: `H-${randomUUID().slice(0, 8)}`,
      districtId: 'pudong',
      place,
      content: '占道经营',
      ...over,
    }),
  );
const hotline2 = (url: string, body: string) =>
  raw('POST', url, body, { 'content-type': 'application/json', ...signedHeaders(DEV_HOTLINE_SECRET, body) });
const someComplaint = '00000000-0000-4000-8000-000000000028';
const newCamera = (over: Record<string, unknown>) =>
  inj(staff, 'POST', '/api/cameras', {
    name: 'Hostile',
    source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
    ...over,
  });
const patchCamera = (over: Record<string, unknown>) => inj(staff, 'PATCH', `/api/cameras/${cameraId}`, over);
const square = rectangle(0.1, 0.5, 0.4, 0.9);
const putZones = (zones: unknown) => inj(staff, 'PUT', `/api/cameras/${cameraId}/zones`, { zones });
const zone = (over: Record<string, unknown>) => ({ name: 'Gate', kind: 'no_stall', points: square, ...over });
const window = (start: string, end: string, days = [1, 2, 3]) => ({ days, start, end });
const newParty = (over: Record<string, unknown>) =>
  inj(admin, 'POST', '/api/parties', {
    districtId: 'pudong',
    kind: 'person',
    name: '李某',
    idNumber: `31011519900101${Math.floor(Math.random() * 9000 + 1000)}`,
    ...over,
  });
const HEADER = '名称,统一社会信用代码,地址,联系电话';
const importCsv = (body: Record<string, unknown>) => inj(staff, 'POST', '/api/parties/import', body);
const importUpload = (file: Buffer) => {
  const boundary = 'hostileimportboundary';
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="shops.csv"\r\ncontent-type: text/csv\r\n\r\n`,
    ),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return inj(staff, 'POST', '/staff/parties/import', body, {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    accept: 'text/html',
  });
};
const multipart = (boundary: string, body: string) =>
  fetched(
    party.browser.request('POST', `/n/${party.token}/statement`, body, {
      'content-type': `multipart/form-data; boundary=${boundary}`,
    }),
  );

const newStaffUser = (over: Record<string, unknown>, client: TestClient = admin) =>
  inj(client, 'POST', '/api/staff/users', {
    username: `hostile_${Math.floor(Math.random() * 1e9)}`,
    displayName: '王五',
    role: 'district_staff',
    districtId: 'pudong',
    ...over,
  });
const adminId = async () =>
  (await world.ctx.pool.query<{ id: string }>(`select id from staff_users where username = 'hostile-admin'`))
    .rows[0]!.id;
const patchStaffUser = async (over: unknown) =>
  inj(admin, 'PATCH', `/api/staff/users/${await adminId()}`, over);

export const corpus: HostileCase[] = [
  // --- NUL bytes in text fields: one check covers every field ---
  ...['a\u0000b', NUL, `admin${NUL}`].map((username): HostileCase => ({
    area: 'staff API',
    name: `login username ${JSON.stringify(username)} without a session`,
    send: () => inj(new TestClient(world.ctx.app), 'POST', '/auth/login', { username, password: 'x' }),
    status: 400,
  })),
  {
    area: 'staff API',
    name: 'login password with NUL',
    send: () =>
      inj(new TestClient(world.ctx.app), 'POST', '/auth/login', { username: 'x', password: `p${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'party name with NUL',
    send: () => newParty({ name: `张${NUL}三` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'party address with NUL',
    send: () => newParty({ address: `路${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'party search with NUL',
    send: () => inj(staff, 'GET', '/api/parties?q=%00'),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'party search with NUL inside a word',
    send: () => inj(staff, 'GET', '/api/parties?q=%E5%BC%A0%00'),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'camera name with NUL',
    send: () => newCamera({ name: `cam${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'camera address with NUL',
    send: () => newCamera({ address: `${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'camera rename with NUL',
    send: () => patchCamera({ name: `x${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'camera reviewer with NUL',
    send: () => patchCamera({ legalReviewer: `${NUL}` }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'device-record notes with NUL',
    send: () =>
      inj(staff, 'POST', `/api/cameras/${cameraId}/device-records`, {
        kind: 'test',
        performedAt: '2026-01-05T10:00:00Z',
        performedBy: 'tech',
        result: 'pass',
        notes: `ok${NUL}`,
      }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'device-record performer with NUL',
    send: () =>
      inj(staff, 'POST', `/api/cameras/${cameraId}/device-records`, {
        kind: 'test',
        performedAt: '2026-01-05T10:00:00Z',
        performedBy: NUL,
        result: 'pass',
      }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter label with NUL',
    send: () => patchCamera({ detectionFilter: { minScoreByLabel: { [`car${NUL}`]: 0.5 } } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'rules override key with NUL',
    send: () => patchCamera({ rules: { [`x${NUL}`]: 1 } }),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone name with NUL',
    send: () => putZones([zone({ name: `门${NUL}` })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone id with NUL',
    send: () => putZones([zone({ id: `z${NUL}` })]),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'review claim violation type with NUL',
    send: () => inj(staff, 'POST', '/api/review/claim', { violationType: `x${NUL}` }),
    status: 400,
  },
  {
    area: 'pages',
    name: 'case list filter with NUL',
    send: () => inj(staff, 'GET', '/staff/cases?status=%00'),
  },
  {
    area: 'pages',
    name: 'login page next= with NUL',
    send: () => raw('GET', '/login?next=%00'),
    status: 400,
  },
  {
    area: 'portal',
    name: 'statement body with NUL',
    send: () => statement(`我没有${NUL}摆摊`),
    status: 400,
  },
  {
    area: 'portal',
    name: 'statement attachment name with NUL',
    send: () =>
      statement('见附件', {
        name: `a${NUL}.png`,
        bytes: Buffer.from('89504e470d0a1a0a', 'hex'),
        type: 'image/png',
      }),
    status: 400,
  },
  {
    area: 'portal',
    name: 'second factor with NUL',
    send: () => fetched(new PartyBrowser(world.baseUrl).verify(party.token, `12${NUL}4`)),
    status: 400,
  },
  {
    area: 'portal',
    name: 'acknowledge with a NUL notice id',
    send: () => portalPost('/acknowledge', { noticeId: NUL }),
    status: 400,
  },
  {
    area: 'portal',
    name: 'token with NUL',
    send: () => raw('GET', '/n/abc%00def'),
    status: 400,
  },
  {
    area: 'payment callbacks',
    name: 'signed callback with a NUL order id',
    send: () =>
      signedCallback(
        JSON.stringify({
          eventId: `e-${randomUUID()}`,
          merchant: world.ctx.config.paymentGatewayMerchant,
          orderId: `PAY${NUL}`,
          status: 'paid',
          amountFen: 100,
        }),
      ),
    status: 400,
  },
  {
    area: 'payment callbacks',
    name: 'unsigned callback with NUL',
    send: () => callback(JSON.stringify({ eventId: NUL, note: NUL })),
    status: 400,
  },
  {
    area: 'receipts',
    name: 'signed delivery receipt with NUL detail',
    send: () => receipt(JSON.stringify({ messageId: 'm-1', status: 'delivered', detail: { x: NUL } })),
    status: 400,
  },
  {
    area: 'receipts',
    name: 'signed delivery receipt with NUL message id',
    send: () => receipt(JSON.stringify({ messageId: `m${NUL}`, status: 'failed' })),
    status: 400,
  },

  // --- malformed requests that used to end in 500 ---
  ...['not a url', 'http://', 'http://[::1', '://x', 'http://a b', 'null null', '%'].map(
    (origin): HostileCase => ({
      area: 'portal',
      name: `POST with malformed Origin ${JSON.stringify(origin)}`,
      send: () => portalPost('/waive', {}, { origin }),
      status: 403,
    }),
  ),
  {
    area: 'portal',
    name: 'truncated multipart statement',
    send: () =>
      multipart(
        'XyZ',
        '--XyZ\r\nContent-Disposition: form-data; name="body"\r\n\r\n我没有摆摊\r\n--XyZ\r\nContent-Disposition: form-data; name="files"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG',
      ),
  },
  {
    area: 'portal',
    name: 'multipart statement cut inside the headers',
    send: () => multipart('XyZ', '--XyZ\r\nContent-Disposition: form-da'),
  },
  {
    area: 'portal',
    name: 'multipart statement without a closing boundary',
    send: () => multipart('XyZ', '--XyZ\r\nContent-Disposition: form-data; name="body"\r\n\r\nhello'),
  },
  {
    area: 'portal',
    name: 'multipart with a boundary that never appears',
    send: () => multipart('nothere', 'just some bytes'),
  },
  {
    area: 'portal',
    name: 'multipart with no boundary',
    send: () =>
      fetched(
        party.browser.request('POST', `/n/${party.token}/statement`, 'x', {
          'content-type': 'multipart/form-data',
        }),
      ),
  },
  {
    area: 'staff API',
    name: 'admin creates a camera in an unknown district',
    send: () =>
      inj(admin, 'POST', '/api/cameras', {
        districtId: 'atlantis',
        name: 'x',
        source: { kind: 'snapshot', url: 'http://10.0.0.9/s.jpg' },
      }),
  },
  {
    area: 'staff API',
    name: 'admin moves a camera to an unknown district',
    send: () => inj(admin, 'PATCH', `/api/cameras/${cameraId}`, { districtId: 'atlantis' }),
  },
  {
    area: 'staff API',
    name: 'admin creates a party in an unknown district',
    send: () => newParty({ districtId: 'atlantis' }),
  },
  ...['1e30', '1e16', '9999999999999999999', '-1', '1.5', 'NaN', 'Infinity', ''].map(
    (offset): HostileCase => ({
      area: 'staff API',
      name: `case list offset=${offset}`,
      send: () => inj(staff, 'GET', `/api/cases?offset=${offset}`),
      status: 400,
    }),
  ),
  ...['1e30', '0', '-5', '1e3', 'abc'].map((limit): HostileCase => ({
    area: 'staff API',
    name: `camera list limit=${limit}`,
    send: () => inj(staff, 'GET', `/api/cameras?limit=${limit}`),
    status: 400,
  })),
  {
    area: 'staff API',
    name: 'camera list offset=1e30',
    send: () => inj(staff, 'GET', '/api/cameras?offset=1e30'),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'postal delivery on an impossible date',
    send: () =>
      inj(staff, 'POST', `/api/cases/${party.caseId}/postal-delivery`, {
        noticeId: party.noticeId,
        receivedOn: '2026-13-45',
      }),
  },
  {
    area: 'staff API',
    name: 'postal delivery in year 0000',
    send: () =>
      inj(staff, 'POST', `/api/cases/${party.caseId}/postal-delivery`, {
        noticeId: party.noticeId,
        receivedOn: '0000-00-00',
      }),
  },
  ...(
    [
      ['window statement of spaces', { body: '   ' }, 400],
      ['window statement with an extra field', { body: '陈述', takenBy: 'someone else' }, 400],
      ['window statement with U+0000', { body: `陈述${NUL}` }, 400],
      ['window statement taken on a day that does not exist', { body: '陈述', takenOn: '2026-02-30' }, 400],
      ['window statement taken in the future', { body: '陈述', takenOn: '2999-01-01' }, 400],
      [
        'window statement with an attachment that is not base64',
        { body: '陈述', attachments: [{ name: 'a.jpg', contentBase64: '!!not base64!!' }] },
        400,
      ],
      [
        'window statement with a program named .jpg',
        {
          body: '陈述',
          attachments: [
            { name: 'a.jpg', contentBase64: Buffer.from('MZ\x90\x00 program').toString('base64') },
          ],
        },
        400,
      ],
      [
        'window statement with four attachments',
        {
          body: '陈述',
          attachments: Array.from({ length: 4 }, (_, i) => ({
            name: `${i}.pdf`,
            contentBase64: Buffer.from('%PDF-1.4').toString('base64'),
          })),
        },
        400,
      ],
    ] as const
  ).map(([name, body, status]) => ({
    area: 'staff API',
    name,
    send: () => inj(staff, 'POST', `/api/cases/${party.caseId}/window-statement`, body),
    status,
  })),
  ...(
    [
      ['bank payment for a case not awaiting payment', {}, 409],
      ['bank payment paid in cash at the bureau', { channel: 'cash' }, 400],
      [
        'bank payment with a receipt number holding SQL',
        { receiptNumber: "1'; drop table payments;--" },
        400,
      ],
      ['bank payment with an empty receipt number', { receiptNumber: '' }, 400],
      ['bank payment of a negative amount', { amountYuan: '-50' }, 400],
      ['bank payment of a thousandth of a yuan', { amountYuan: '50.001' }, 400],
      ['bank payment of an amount in words', { amountYuan: '五十元' }, 400],
      ['bank payment with the amount given twice', { amountYuan: '50', amountFen: 5000 }, 400],
      ['bank payment of 0 fen', { amountYuan: undefined, amountFen: 0 }, 400],
      ['bank payment on a day that does not exist', { paidOn: '2026-13-01' }, 400],
      ['bank payment in the future', { paidOn: '2999-01-01' }, 400],
    ] as const
  ).map(([name, over, status]) => ({
    area: 'staff API',
    name,
    send: () =>
      inj(staff, 'POST', `/api/cases/${party.caseId}/bank-payment`, {
        channel: 'bank',
        receiptNumber: 'B20260001',
        paidOn: '2026-01-05',
        amountYuan: '50',
        ...over,
      }),
    status,
  })),
  {
    area: 'staff API',
    name: 'bank payment for a case that does not exist',
    send: () =>
      inj(staff, 'POST', `/api/cases/${randomUUID()}/bank-payment`, {
        channel: 'bank',
        receiptNumber: 'B20260002',
        paidOn: '2026-01-05',
        amountFen: 5000,
      }),
    status: 404,
  },
  {
    area: 'pages',
    name: 'window statement form sent as JSON instead of multipart',
    send: () => inj(staff, 'POST', `/staff/cases/${party.caseId}/window-statement`, { body: '陈述' }),
    status: 415,
  },
  {
    area: 'pages',
    name: 'bank payment form paid in cash',
    send: () =>
      inj(staff, 'POST', `/staff/cases/${party.caseId}/bank-payment`, {
        channel: 'cash',
        receiptNumber: 'B20260003',
        paidOn: '2026-01-05',
        amountYuan: '50',
      }),
    status: 400,
  },
  {
    area: 'pages',
    name: 'postal receipt form with a day that is not a date',
    send: () =>
      inj(staff, 'POST', `/staff/cases/${party.caseId}/postal-receipt`, {
        noticeId: party.noticeId,
        receivedOn: 'yesterday',
      }),
    status: 400,
  },
  {
    area: 'pages',
    name: 'after-decision form with a day that does not exist',
    send: () =>
      inj(admin, 'POST', `/staff/cases/${party.caseId}/review-started`, {
        kind: 'reconsideration',
        on: '2026-02-30',
        body: '复议机关',
      }),
  },
  {
    area: 'staff API',
    name: 'after-decision API with a day that does not exist',
    send: () =>
      inj(admin, 'POST', `/api/cases/${party.caseId}/review-started`, {
        kind: 'litigation',
        on: '2026-13-01',
        body: '法院',
      }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'device record in the year 275760',
    send: () =>
      inj(staff, 'POST', `/api/cameras/${cameraId}/device-records`, {
        kind: 'test',
        performedAt: '+275760-09-13T00:00:00.001Z',
        performedBy: 'tech',
        result: 'pass',
      }),
  },
  {
    area: 'staff API',
    name: 'camera with a legal review on 2026-02-30',
    send: () => newCamera({ legalReviewDate: '2026-02-30' }),
  },
  {
    area: 'staff API',
    name: 'camera id that is not a uuid',
    send: () => inj(staff, 'GET', '/api/cameras/1%20or%201=1'),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'unknown camera',
    send: () => inj(staff, 'GET', `/api/cameras/${randomUUID()}`),
    status: 404,
  },
  {
    area: 'staff API',
    name: 'JSON body that is not JSON',
    send: () => inj(staff, 'POST', '/api/cameras', '{"name":', { 'content-type': 'application/json' }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'JSON body nested 5000 deep',
    send: () =>
      inj(
        staff,
        'PATCH',
        `/api/cameras/${cameraId}`,
        `{"rules":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
        {
          'content-type': 'application/json',
        },
      ),
  },
  {
    area: 'staff API',
    name: 'prototype pollution through rules',
    send: () =>
      inj(staff, 'PATCH', `/api/cameras/${cameraId}`, '{"rules":{"__proto__":{"admin":true}}}', {
        'content-type': 'application/json',
      }),
  },
  {
    area: 'staff API',
    name: 'camera body over the size limit',
    send: () => newCamera({ address: 'x'.repeat(1_100_000) }),
    status: 413,
  },
  {
    area: 'staff API',
    name: 'review decision on a task that does not exist',
    send: () => inj(staff, 'POST', `/api/review/tasks/${randomUUID()}/decision`, { decision: 'approve' }),
  },
  {
    area: 'staff API',
    name: 'evidence item id that is not a uuid',
    send: () => inj(staff, 'GET', '/api/evidence/..%2F..%2Fetc%2Fpasswd'),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'dataset export with a bad decision filter',
    send: () => inj(admin, 'GET', '/api/review/dataset?decision=%00'),
    status: 400,
  },

  {
    area: 'staff API',
    name: 'statement review with a fine of 1e30 fen',
    send: () =>
      inj(admin, 'POST', `/api/cases/${party.caseId}/statement-review`, {
        outcome: 'partly_accept',
        revisedFineFen: 1e30,
        reasons: ['x'],
      }),
  },
  {
    area: 'staff API',
    name: 'statement review with reasons holding NUL',
    send: () =>
      inj(admin, 'POST', `/api/cases/${party.caseId}/statement-review`, {
        outcome: 'reject',
        reasons: [`理由${NUL}`],
      }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'reconsideration concluded with a fine of 1e30 fen',
    send: () =>
      inj(admin, 'POST', `/api/cases/${party.caseId}/review-concluded`, {
        outcome: 'varied',
        revisedFineFen: 1e30,
        on: '2026-03-01',
      }),
  },
  {
    area: 'staff API',
    name: 'dataset export since a day that does not exist',
    send: () => inj(admin, 'GET', '/api/review/dataset?since=2026-02-30T00:00:00Z'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'public device list with NUL in the query',
    send: () => raw('GET', '/devices?district=%00'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff cases page flagged=maybe',
    send: () => inj(staff, 'GET', '/api/cases?flagged=maybe'),
    status: 400,
  },

  // --- frames ---
  {
    area: 'frames',
    name: 'latest frame of a camera that has none',
    send: () => inj(staff, 'GET', `/api/cameras/${cameraId}/frame/latest`),
  },
  {
    area: 'frames',
    name: 'latest frame of a camera id that is not a uuid',
    send: () => inj(staff, 'GET', '/api/cameras/%00/frame/latest'),
    status: 400,
  },
  {
    area: 'frames',
    name: 'take a frame of an unknown camera',
    send: () => inj(staff, 'POST', `/api/cameras/${randomUUID()}/frame`, {}),
    status: 404,
  },

  // --- settings that would silently switch a camera or a filter off ---
  {
    area: 'schedules',
    name: 'camera window opening and closing at the same time',
    send: () => newCamera({ schedule: { windows: [window('08:00', '08:00')] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'camera window 00:00 to 00:00',
    send: () => patchCamera({ schedule: { windows: [window('00:00', '00:00')] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'camera window 24:00 to 24:00',
    send: () => patchCamera({ schedule: { windows: [window('24:00', '24:00', [7])] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'always: false with no windows',
    send: () => newCamera({ schedule: { always: false } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'always: false with an empty window list',
    send: () => patchCamera({ schedule: { always: false, windows: [] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'always: true with windows (which would be ignored)',
    send: () => patchCamera({ schedule: { always: true, windows: [window('08:00', '18:00')] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'window with no days',
    send: () => patchCamera({ schedule: { windows: [{ days: [], start: '08:00', end: '18:00' }] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'window on weekday 8',
    send: () => patchCamera({ schedule: { windows: [window('08:00', '18:00', [8])] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'window at 25:00',
    send: () => patchCamera({ schedule: { windows: [window('08:00', '25:00')] } }),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'zone window opening and closing at the same time',
    send: () => putZones([zone({ schedule: [window('09:30', '09:30')] })]),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'zone window 24:00 to 24:00',
    send: () => putZones([zone({ schedule: [window('24:00', '24:00')] })]),
    status: 400,
  },
  {
    area: 'schedules',
    name: 'zone window with the same day twice',
    send: () => putZones([zone({ schedule: [window('08:00', '09:00', [1, 1])] })]),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter minArea above maxArea',
    send: () => patchCamera({ detectionFilter: { minArea: 0.5, maxArea: 0.1 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter minArea equal to maxArea',
    send: () => newCamera({ detectionFilter: { minArea: 0.2, maxArea: 0.2 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter maxArea 0',
    send: () => patchCamera({ detectionFilter: { maxArea: 0 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter minScore 1',
    send: () => patchCamera({ detectionFilter: { minScore: 1 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter label minScore 1',
    send: () => patchCamera({ detectionFilter: { minScoreByLabel: { umbrella: 1 } } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter minArea 1',
    send: () => patchCamera({ detectionFilter: { minArea: 1 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'detection filter minScore above 1',
    send: () => patchCamera({ detectionFilter: { minScore: 1.5 } }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'rules override with a negative dwell',
    send: () => patchCamera({ rules: { stall: { dwellSeconds: -1 } } }),
    status: 400,
  },

  // --- zones ---
  { area: 'zones', name: 'zone list that is not a list', send: () => putZones({ a: 1 }), status: 400 },
  {
    area: 'zones',
    name: 'zone with two points',
    send: () => putZones([zone({ points: square.slice(0, 2) })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone outside the frame',
    send: () => putZones([zone({ points: square.map((p) => ({ x: p.x + 2, y: p.y })) })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'self-crossing zone',
    send: () => putZones([zone({ points: [square[0], square[2], square[1], square[3]] })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone with NaN as a string',
    send: () => putZones([zone({ points: [{ x: 'NaN', y: 0.1 }, ...square.slice(1)] })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone with 1e308 coordinates',
    send: () => putZones([zone({ points: square.map(() => ({ x: 1e308, y: 1e308 })) })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone of an unknown kind',
    send: () => putZones([zone({ kind: 'everything' })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone with 10 000 points',
    send: () =>
      putZones([
        zone({ points: Array.from({ length: 10_000 }, (_, i) => ({ x: (i % 100) / 100, y: 0.5 })) }),
      ]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zone id __proto__',
    send: () => putZones([zone({ id: '__proto__' })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'two zones with the same id',
    send: () => putZones([zone({ id: 'a' }), zone({ id: 'a' })]),
    status: 400,
  },
  {
    area: 'zones',
    name: 'shop front without a front line',
    send: () => putZones([zone({ kind: 'shop_front' })]),
    status: 400,
  },
  {
    area: 'zones',
    name: '201 zones',
    send: () => putZones(Array.from({ length: 201 }, () => zone({}))),
    status: 400,
  },
  {
    area: 'zones',
    name: 'zones of a camera of another district',
    send: async () => {
      const other = await seedStaff(
        world.ctx.pool,
        `h-${randomUUID().slice(0, 6)}`,
        'district_staff',
        'huangpu',
      );
      const client = await new TestClient(world.ctx.app).login(other.username, other.password);
      return inj(client, 'PUT', `/api/cameras/${cameraId}/zones`, { zones: [zone({})] });
    },
    status: 403,
    // the other district's account is made by the case itself
    may: ['staff_users'],
  },

  // --- camera URLs and paths ---
  ...[
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/latest/meta-data/',
    'http://metadata.google.internal/computeMetadata/v1/',
    'http://169.254.1.1/snap.jpg',
    'http://[fe80::1]/snap.jpg',
    'http://0.0.0.0/snap.jpg',
    'http://8.8.8.8/snap.jpg',
    'gopher://10.0.0.9/',
    'file:///etc/passwd',
    'ftp://10.0.0.9/snap.jpg',
    'http://user:pass@169.254.169.254/',
    'http://224.0.0.1/snap.jpg',
    'http://255.255.255.255/snap.jpg',
    'javascript:alert(1)',
    'http://10.0.0.9/snap.jpg\r\nX-Injected: 1',
    `http://10.0.0.9/${NUL}.jpg`,
    `http://10.0.0.9/${'a'.repeat(5000)}`,
    '',
  ].map((url): HostileCase => ({
    area: 'camera URLs',
    name: `snapshot URL ${JSON.stringify(url.slice(0, 60))}`,
    send: () => newCamera({ source: { kind: 'snapshot', url } }),
    status: 400,
  })),
  ...['rtsp://169.254.169.254/live', 'rtsp://8.8.4.4/live', 'rtmp://10.0.0.9/live'].map(
    (url): HostileCase => ({
      area: 'camera URLs',
      name: `stream URL ${url}`,
      send: () => patchCamera({ source: { kind: 'stream', url } }),
      status: 400,
    }),
  ),
  ...[
    '/etc/shadow',
    '/etc/shadowx',
    '/proc/self/environ',
    '../../../../etc/passwd',
    'relative.mp4',
    `/tmp/${NUL}`,
  ].map((path): HostileCase => ({
    area: 'camera URLs',
    name: `file source ${JSON.stringify(path)}`,
    send: () => newCamera({ source: { kind: 'file', path } }),
    status: 400,
  })),
  {
    area: 'camera URLs',
    name: 'folder source outside the roots',
    send: () => newCamera({ source: { kind: 'folder', path: '/etc' } }),
    status: 400,
  },
  {
    area: 'camera URLs',
    name: 'source of an unknown kind',
    send: () => newCamera({ source: { kind: 'carrier-pigeon' } }),
    status: 400,
  },

  // --- portal ---
  {
    area: 'portal',
    name: 'token of 65 characters',
    send: () => raw('GET', `/n/${'a'.repeat(65)}`),
    status: 400,
  },
  {
    area: 'portal',
    name: 'evidence id that is not a uuid',
    send: () => portalGet('/evidence/..%2F..%2Fetc%2Fpasswd'),
    status: 400,
  },
  {
    area: 'portal',
    name: 'evidence of another case',
    send: async () => {
      const { rows } = await world.ctx.pool.query(
        `select e.id from evidence_items e join cases c on c.violation_id = e.violation_id where c.id <> $1 limit 1`,
        [party.caseId],
      );
      return portalGet(`/evidence/${rows[0]?.id ?? randomUUID()}`);
    },
    status: 404,
  },
  {
    area: 'portal',
    name: 'document name that escapes',
    send: () => portalGet('/documents/..%2F..%2Fsecret.pdf'),
    status: 400,
  },
  {
    area: 'portal',
    name: 'document of an unknown notice',
    send: () => portalGet(`/documents/${randomUUID()}.pdf`),
    status: 404,
  },
  {
    area: 'portal',
    name: 'acknowledge a notice id that is not a uuid',
    send: () => portalPost('/acknowledge', { noticeId: "1' or '1'='1" }),
    status: 400,
  },
  {
    area: 'portal',
    name: 'acknowledge an unknown notice',
    send: () => portalPost('/acknowledge', { noticeId: randomUUID() }),
    status: 404,
  },
  {
    area: 'portal',
    name: 'statement as JSON instead of multipart',
    send: () =>
      fetched(
        party.browser.request('POST', `/n/${party.token}/statement`, '{"body":"x"}', {
          'content-type': 'application/json',
        }),
      ),
    status: 415,
  },
  {
    area: 'portal',
    name: 'empty statement',
    send: () => statement('   '),
    status: 400,
  },
  {
    area: 'portal',
    name: 'statement of 100 001 characters',
    send: () => statement('字'.repeat(100_001)),
  },
  {
    area: 'portal',
    name: 'statement with an executable posing as a PNG',
    send: () =>
      statement('见附件', { name: 'photo.png', bytes: Buffer.from('MZ\x90\x00evil'), type: 'image/png' }),
    status: 400,
  },
  {
    area: 'portal',
    name: 'statement with an SVG attachment',
    send: () =>
      statement('见附件', {
        name: 'x.svg',
        bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        type: 'image/svg+xml',
      }),
    status: 400,
  },
  {
    area: 'portal',
    name: 'verify with a factor of 65 characters',
    send: () => fetched(new PartyBrowser(world.baseUrl).verify(party.token, '1'.repeat(65))),
    status: 400,
  },
  {
    area: 'portal',
    name: 'verify with no factor',
    send: () => fetched(new PartyBrowser(world.baseUrl).request('POST', `/n/${party.token}/verify`, '')),
    status: 400,
  },
  {
    area: 'portal',
    name: 'forged session cookie',
    send: () => raw('GET', `/n/${party.token}/receipt.json`, undefined, { cookie: `psid=${'A'.repeat(43)}` }),
    status: 303,
  },
  {
    area: 'portal',
    name: 'session cookie with a NUL',
    send: () => raw('GET', `/n/${party.token}/receipt.json`, undefined, { cookie: 'psid=%00' }),
    status: 303,
  },
  {
    area: 'portal',
    name: 'cross-site hearing request',
    send: () => portalPost('/hearing', {}, { origin: 'https://evil.example' }),
    status: 403,
  },
  {
    area: 'portal',
    name: 'pay while nothing is due',
    send: () => portalPost('/pay', {}),
    status: 409,
  },
  {
    area: 'receipts',
    name: 'payment receipt before any payment',
    send: () => portalGet('/receipt.json'),
    status: 404,
  },
  {
    area: 'receipts',
    name: 'sealed payment receipt before any payment',
    send: () => portalGet('/receipt.json?seal=1'),
    status: 404,
  },
  {
    area: 'pages',
    name: 'public case page with a malformed number',
    send: () => raw('GET', '/portal/cases/SH-PD-2026-%00'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff statement attachment with an index that is not a number',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/statements/${randomUUID()}/attachments/x`),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff statement attachment with a huge index',
    send: () =>
      inj(staff, 'GET', `/staff/cases/${party.caseId}/statements/${randomUUID()}/attachments/99999999999`),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff statement attachment with a path in the statement id',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/statements/..%2F..%2Fetc/attachments/0`),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff statement attachment of an unknown statement',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/statements/${randomUUID()}/attachments/0`),
    status: 404,
  },
  {
    area: 'pages',
    name: 'staff case document with another extension',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/documents/${party.noticeId}.exe`),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff case document with a NUL',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/documents/${party.noticeId}%00.pdf`),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff receipt of an unknown payment',
    send: () => inj(staff, 'GET', `/staff/cases/${party.caseId}/receipts/${randomUUID()}`),
    status: 404,
  },
  {
    area: 'portal',
    name: 'case lookup with a case number of 41 characters',
    send: () =>
      fetched(
        new PartyBrowser(world.baseUrl).post('/portal/cases', { caseNumber: 'S'.repeat(41), factor: '8000' }),
      ),
    status: 400,
  },
  {
    area: 'portal',
    name: 'case lookup with a NUL in the case number',
    send: () =>
      fetched(
        new PartyBrowser(world.baseUrl).post('/portal/cases', { caseNumber: `SH-PD${NUL}`, factor: '8000' }),
      ),
    status: 400,
  },
  {
    area: 'portal',
    name: 'case lookup with no factor',
    send: () =>
      fetched(new PartyBrowser(world.baseUrl).post('/portal/cases', { caseNumber: 'SH-PD-2026-000001' })),
    status: 400,
  },
  {
    area: 'portal',
    name: 'case lookup with a wrong factor opens nothing',
    send: async () => {
      const { rows } = await world.ctx.pool.query('select case_number from cases where id = $1', [
        party.caseId,
      ]);
      return fetched(
        new PartyBrowser(world.baseUrl).post('/portal/cases', {
          caseNumber: rows[0].case_number,
          factor: '0001',
        }),
      );
    },
    status: 403,
  },
  {
    area: 'portal',
    name: 'case lookup with markup in the case number',
    send: () =>
      fetched(
        new PartyBrowser(world.baseUrl).post('/portal/cases', {
          caseNumber: '"><script>alert(1)</script>',
          factor: '8000',
        }),
      ),
    status: 403,
  },
  {
    area: 'portal',
    name: 'cross-site case lookup',
    send: () =>
      fetched(
        new PartyBrowser(world.baseUrl).request(
          'POST',
          '/portal/cases',
          new URLSearchParams({ caseNumber: 'SH-PD-2026-000001', factor: '8000' }),
          { origin: 'https://evil.example' },
        ),
      ),
    status: 403,
  },
  {
    area: 'portal',
    name: 'case lookup as a JSON array',
    send: () => raw('POST', '/portal/cases', '[1,2]', { 'content-type': 'application/json' }),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff case page with a bad id',
    send: () => inj(staff, 'GET', '/staff/cases/not-a-uuid'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff camera page of an unknown camera',
    send: () => inj(staff, 'GET', `/staff/cameras/${randomUUID()}`),
    status: 404,
  },
  {
    area: 'pages',
    name: 'camera form with an interval past any integer and a path that is not absolute',
    send: () =>
      inj(staff, 'POST', `/staff/cameras/${cameraId}/edit`, {
        name: 'n',
        kind: 'file',
        location: '../../etc/passwd',
        interval: '1e400',
      }),
  },
  {
    area: 'pages',
    name: 'device record form dated in the year 99999',
    send: () =>
      inj(staff, 'POST', `/staff/cameras/${cameraId}/records`, {
        kind: 'test',
        performedAt: '99999-01-01T09:00',
        performedBy: 'x',
        result: 'pass',
      }),
  },
  {
    area: 'pages',
    name: 'device register form with an impossible date',
    send: () =>
      inj(staff, 'POST', `/staff/cameras/${cameraId}/register`, {
        legalReviewDate: '2026-02-30',
      }),
  },
  {
    area: 'pages',
    name: 'staff case decision form with a fine in the quintillions',
    send: () =>
      inj(staff, 'POST', `/staff/cases/${party.caseId}/statement-review`, {
        outcome: 'partly_accept',
        revisedFineFen: '999999999999',
        reasons: 'x',
      }),
  },
  {
    area: 'pages',
    name: 'login form with a huge username',
    send: () =>
      inj(new TestClient(world.ctx.app), 'POST', '/auth/login', {
        username: 'u'.repeat(10_000),
        password: 'x',
      }),
    status: 400,
  },

  // --- payment callbacks ---
  {
    area: 'payment callbacks',
    name: 'unsigned callback',
    send: () => callback(JSON.stringify({ eventId: 'e1', orderId: 'PAY1', status: 'paid', amountFen: 1 })),
    status: 401,
    may: ['payment_callbacks'],
  },
  {
    area: 'payment callbacks',
    name: 'callback signed with the wrong secret',
    send: () => {
      const body = JSON.stringify({ eventId: 'e2', orderId: 'PAY1', status: 'paid', amountFen: 1 });
      return callback(body, signedHeaders('another secret of sixteen+', body));
    },
    status: 401,
    may: ['payment_callbacks'],
  },
  {
    area: 'payment callbacks',
    name: 'callback replayed from an hour ago',
    send: () => {
      const body = JSON.stringify({ eventId: 'e3', orderId: 'PAY1', status: 'paid', amountFen: 1 });
      return callback(
        body,
        signedHeaders(world.ctx.config.paymentGatewaySecret, body, Date.now() - 3_600_000),
      );
    },
    status: 401,
    may: ['payment_callbacks'],
  },
  {
    area: 'payment callbacks',
    name: 'callback that is not JSON',
    send: () => callback('{"eventId":'),
    status: 400,
  },
  {
    area: 'payment callbacks',
    name: 'callback that is a JSON array',
    send: () => callback('[1,2,3]'),
    status: 401,
    may: ['payment_callbacks'],
  },
  {
    area: 'payment callbacks',
    name: 'callback of 70 KB',
    send: () => callback(JSON.stringify({ pad: 'x'.repeat(70_000) })),
    status: 413,
  },
  {
    area: 'payment callbacks',
    name: 'callback to an unknown gateway',
    send: () => raw('POST', '/api/payments/callback/other', '{}', { 'content-type': 'application/json' }),
    status: 404,
  },
  {
    area: 'payment callbacks',
    name: 'callback to a gateway name that is a path',
    send: () => raw('POST', '/api/payments/callback/..%2F..', '{}', { 'content-type': 'application/json' }),
    status: 400,
  },
  {
    area: 'payment callbacks',
    name: 'signed callback of another merchant',
    send: () =>
      signedCallback(
        JSON.stringify({
          eventId: `e-${randomUUID()}`,
          merchant: 'evil',
          orderId: 'PAY1',
          status: 'paid',
          amountFen: 1,
        }),
      ),
    status: 401,
    may: ['payment_callbacks'],
  },

  // --- delivery receipts ---
  {
    area: 'receipts',
    name: 'unsigned delivery receipt',
    send: () => receipt(JSON.stringify({ messageId: 'm-1', status: 'delivered' }), false),
    status: 401,
  },
  {
    area: 'receipts',
    name: 'delivery receipt of an unknown channel',
    send: () => raw('POST', '/api/deliveries/receipts/pigeon', '{}', { 'content-type': 'application/json' }),
    status: 400,
  },
  {
    area: 'receipts',
    name: 'signed delivery receipt with an impossible time',
    send: () =>
      receipt(JSON.stringify({ messageId: 'm-1', status: 'delivered', at: '+275760-09-13T00:00:00.001Z' })),
  },
  {
    area: 'receipts',
    name: 'signed delivery receipt with an unknown status',
    send: () => receipt(JSON.stringify({ messageId: 'm-1', status: 'read' })),
    status: 400,
  },

  // --- staff accounts (user management) ---
  ...(
    [
      ['username with NUL', { username: `ab${NUL}c` }],
      ['username too long', { username: 'u'.repeat(65) }],
      ['username with spaces and quotes', { username: "a b'--" }],
      ['name with NUL', { displayName: `王${NUL}五` }],
      ['name over 100 characters', { displayName: '名'.repeat(101) }],
      ['name of spaces only', { displayName: '   ' }],
      ['name with a control character', { displayName: 'a\u001bb' }],
      ['name as a list', { displayName: ['a', 'b'] }],
      ['unknown role', { role: 'superuser' }],
      ['role with NUL', { role: `admin${NUL}` }],
      ['unknown district', { districtId: 'atlantis' }],
      ['district id that is not an id', { districtId: "pudong' or '1'='1" }],
      ['staff without a district', { districtId: null }],
      ['a password hash smuggled in', { passwordHash: 'scrypt$1$1$1$a$b' }],
      ['must_change_password smuggled in', { mustChangePassword: false }],
    ] as const
  ).map(([name, over]): HostileCase => ({
    area: 'staff API',
    name: `new staff account: ${name}`,
    send: () => newStaffUser(over),
    status: 400,
  })),
  {
    area: 'staff API',
    name: 'new staff account made by district staff',
    send: () => newStaffUser({}, staff),
    status: 403,
  },
  ...(
    [
      ['name with NUL', { displayName: `x${NUL}` }],
      ['name over 100 characters', { displayName: 'x'.repeat(101) }],
      ['unknown role', { role: 'root' }],
      ['unknown district', { districtId: 'nowhere' }],
      ['nothing to change', {}],
      ['active as a word', { active: 'no' }],
      ['unknown field', { lockedUntil: null }],
    ] as const
  ).map(([name, over]): HostileCase => ({
    area: 'staff API',
    name: `staff account change: ${name}`,
    send: () => patchStaffUser(over),
    status: 400,
  })),
  {
    area: 'staff API',
    name: 'staff account change with an id that is not a uuid',
    send: () => inj(admin, 'PATCH', '/api/staff/users/1%20or%201=1', { active: false }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'staff account change with NUL in the id',
    send: () => inj(admin, 'PATCH', '/api/staff/users/%00', { active: false }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'password reset of an account that does not exist',
    send: () => inj(admin, 'POST', `/api/staff/users/${randomUUID()}/reset-password`),
    status: 404,
  },
  {
    area: 'staff API',
    name: 'password reset by district staff',
    send: async () => inj(staff, 'POST', `/api/staff/users/${await adminId()}/reset-password`),
    status: 403,
  },
  {
    area: 'staff API',
    name: 'lock-out lifted with an id that is not a uuid',
    send: () => inj(admin, 'POST', '/api/staff/users/..%2F..%2Fetc/unlock'),
  },
  {
    area: 'staff API',
    name: 'new password with NUL',
    send: () =>
      inj(new TestClient(world.ctx.app), 'POST', '/auth/password', {
        username: 'hostile-staff',
        currentPassword: 'a long test password',
        newPassword: `a long new password${NUL}`,
      }),
    status: 400,
  },
  {
    area: 'staff API',
    name: 'new password over 256 characters',
    send: () =>
      inj(new TestClient(world.ctx.app), 'POST', '/auth/password', {
        username: 'hostile-staff',
        currentPassword: 'a long test password',
        newPassword: 'p'.repeat(257),
      }),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff account page with NUL in the id',
    send: () => inj(admin, 'GET', '/staff/users/%00'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'staff account page with an id that is not a uuid',
    send: () => inj(admin, 'GET', '/staff/users/%3Cscript%3E'),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint without a signature',
    send: () =>
      hotline(
        JSON.stringify({ complaintNumber: 'H-1', districtId: 'pudong', place: { text: 'x' }, content: 'x' }),
        false,
      ),
    status: 401,
  },
  {
    area: 'complaints',
    name: 'hotline complaint signed with another secret',
    send: () => {
      const body = JSON.stringify({
        complaintNumber: 'H-2',
        districtId: 'pudong',
        place: { text: 'x' },
        content: 'x',
      });
      return raw('POST', '/api/hotline/complaints', body, {
        'content-type': 'application/json',
        ...signedHeaders('someone-elses-secret-0123456789', body),
      });
    },
    status: 401,
  },
  {
    area: 'complaints',
    name: 'signed hotline body that is not JSON',
    send: () => hotline('{"complaintNumber":'),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'signed hotline body that is a list',
    send: () => hotline('[1,2]'),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with NUL in the place',
    send: () => hotlineJson({}, { text: `某路${NUL}1号` }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with NUL in the content',
    send: () => hotlineJson({ content: `x${NUL}` }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint for an unknown district',
    send: () => hotlineJson({ districtId: 'atlantis' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint number with SQL in it',
    send: () => hotlineJson({ complaintNumber: "1'; drop table complaints;--" }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint without a number',
    send: () => hotlineJson({ complaintNumber: undefined }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with a field of its own',
    send: () => hotlineJson({ priority: 'urgent' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with a latitude past the pole',
    send: () => hotlineJson({}, { text: 'x', latitude: 91, longitude: 121 }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with a latitude and no longitude',
    send: () => hotlineJson({}, { text: 'x', latitude: 31 }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with an empty place',
    send: () => hotlineJson({}, { text: '' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline complaint with 5000 characters of content',
    send: () => hotlineJson({ content: '长'.repeat(5000) }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'hotline reporter phone with letters',
    send: () => hotlineJson({ reporter: { phone: '138abc' } }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'staff complaint with NUL in the reporter name',
    send: () =>
      inj(staff, 'POST', '/api/complaints', {
        place: { text: '某路' },
        content: 'x',
        reporter: { name: `张${NUL}` },
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'staff complaint with only spaces as content',
    send: () => inj(staff, 'POST', '/api/complaints', { place: { text: '某路' }, content: '   ' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'outcome of a complaint that does not exist',
    send: () =>
      inj(staff, 'POST', `/api/complaints/${someComplaint}/outcome`, {
        outcome: 'substantiated',
        note: '属实',
      }),
    status: 404,
  },
  {
    area: 'complaints',
    name: 'transfer without the department',
    send: () =>
      inj(staff, 'POST', `/api/complaints/${someComplaint}/outcome`, {
        outcome: 'transferred',
        note: '移送',
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'outcome that is not one of the three',
    send: () =>
      inj(staff, 'POST', `/api/complaints/${someComplaint}/outcome`, { outcome: 'ignored', note: 'x' }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'complaint id that is not a uuid',
    send: () => inj(staff, 'GET', '/api/complaints/1%20or%201=1'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'complaint page with NUL in the id',
    send: () => inj(staff, 'GET', '/staff/complaints/%00'),
    status: 400,
  },
  {
    area: 'pages',
    name: 'complaint form with a latitude that is not a number',
    send: () =>
      inj(staff, 'POST', '/staff/complaints', {
        place: '某路',
        content: 'x',
        latitude: '31.2;drop',
        longitude: '121',
      }),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'unsigned fetch of the hotline replies',
    send: () => raw('POST', '/api/hotline/replies/fetch', '{}', { 'content-type': 'application/json' }),
    status: 401,
  },
  {
    area: 'complaints',
    name: 'signed ack of ids that are not uuids',
    send: () => hotline2('/api/hotline/replies/ack', JSON.stringify({ ids: ["1' or '1'='1"] })),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'signed ack of no ids',
    send: () => hotline2('/api/hotline/replies/ack', JSON.stringify({ ids: [] })),
    status: 400,
  },
  {
    area: 'complaints',
    name: 'signed fetch of a million replies',
    send: () => hotline2('/api/hotline/replies/fetch', JSON.stringify({ limit: 1000000 })),
    status: 400,
  },
  {
    area: 'party register',
    name: 'shop with a credit code whose check character is wrong',
    send: () =>
      inj(staff, 'POST', '/api/parties', {
        kind: 'unit',
        name: '错号店',
        idNumber: '91350100M000100Y44',
        address: '浦东新区',
      }),
    status: 400,
  },
  {
    area: 'party register',
    name: 'person with an ID number whose check digit is wrong',
    send: () =>
      inj(staff, 'POST', '/api/parties', { kind: 'person', name: '王某', idNumber: '310115199001010011' }),
    status: 400,
  },
  {
    area: 'party register',
    name: 'credit code with letters outside its alphabet',
    send: () =>
      inj(staff, 'POST', '/api/parties', {
        kind: 'unit',
        name: 'x',
        idNumber: '91350100O000100Y43',
        address: 'y',
      }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV with NUL in a row',
    send: () => importCsv({ csv: `${HEADER}\n张${NUL}记,91350100M000100Y43,路,`, dryRun: false }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV longer than the limit',
    send: () => importCsv({ csv: `${HEADER}\n${'a'.repeat(950_000)}`, dryRun: false }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV with an unknown column',
    send: () => importCsv({ csv: `${HEADER},<script>\n张,91350100M000100Y43,路,,x`, dryRun: false }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV with a quote never closed',
    send: () => importCsv({ csv: `${HEADER}\n"张记,91350100M000100Y43,路,`, dryRun: false }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV without the dry-run flag',
    send: () => importCsv({ csv: `${HEADER}\n张记,91350100M000100Y43,路,` }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'CSV import into an unknown district',
    send: () =>
      inj(admin, 'POST', '/api/parties/import', { csv: HEADER, dryRun: false, districtId: 'atlantis' }),
    status: 400,
  },
  {
    area: 'party import',
    name: 'import page sent a form that is not multipart',
    send: () =>
      inj(staff, 'POST', '/staff/parties/import', `csv=${encodeURIComponent(HEADER)}`, {
        'content-type': 'application/x-www-form-urlencoded',
        accept: 'text/html',
      }),
    status: 415,
  },
  {
    area: 'party import',
    name: 'import page sent a file that is not UTF-8 (GBK)',
    send: () => importUpload(Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x2c, 0xd5, 0xc5, 0x0a])),
    status: 400,
  },
  {
    area: 'party import',
    name: 'import page sent a file with NUL',
    send: () => importUpload(Buffer.from(`${HEADER}\n张\u0000记,91350100M000100Y43,路,`)),
    status: 400,
  },
  {
    area: 'party register',
    name: 'shop-front link naming a zone that is not a uuid',
    send: () =>
      inj(staff, 'POST', `/api/parties/${randomUUID()}/shop-front`, { cameraId, zoneId: '<script>' }),
    status: 400,
  },
  {
    area: 'party register',
    name: 'shop-front link for a party that does not exist',
    send: () =>
      inj(staff, 'POST', `/api/parties/${randomUUID()}/shop-front`, { cameraId, zoneId: randomUUID() }),
    status: 404,
  },
  {
    area: 'party register',
    name: 'party page with an id that is not a uuid',
    send: () => inj(staff, 'GET', '/staff/parties/%3Cscript%3E', undefined, { accept: 'text/html' }),
    status: 400,
  },
];
