import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/**
 * Alerts (src/alerts/): how often the rules are evaluated, each rule's thresholds, and the channels a new or
 * resolved alert is sent on. Every threshold is documented in docs/statistics.md ("告警 Alerts").
 */

const num = (variable: string, minimum: number, maximum: number, what: string) =>
  Type.Number({ minimum, maximum, description: `${variable}: ${what}` });
const whole = (variable: string, minimum: number, maximum: number, what: string) =>
  Type.Integer({ minimum, maximum, description: `${variable}: ${what}` });

export const ALERT_CHANNELS = ['sms', 'email', 'webhook'] as const;
export type AlertChannel = (typeof ALERT_CHANNELS)[number];

export const AlertsSchema = Type.Object({
  evaluateEveryS: whole('ALERT_EVALUATE_EVERY_S', 10, 3_600, 'how often every alert rule is evaluated'),
  cameraOfflineS: whole(
    'ALERT_CAMERA_OFFLINE_S',
    0,
    7 * 86_400,
    'a camera offline or failing this long (seconds without a frame) raises an alert',
  ),
  cameraCriticalS: whole(
    'ALERT_CAMERA_CRITICAL_S',
    0,
    30 * 86_400,
    'a camera offline this long makes its alert critical',
  ),
  volumeWeeks: whole('ALERT_VOLUME_WEEKS', 1, 52, 'past weeks of the same hour in the capture baseline'),
  volumeMinWeeks: whole(
    'ALERT_VOLUME_MIN_WEEKS',
    1,
    52,
    'fewer baseline weeks than this (a new camera) and no volume alert is raised',
  ),
  volumeZ: num('ALERT_VOLUME_Z', 1, 100, 'robust z-score at or beyond which capture volume is abnormal'),
  volumeResolveZ: num('ALERT_VOLUME_RESOLVE_Z', 0, 100, 'robust z-score under which a volume alert clears'),
  volumeMinCount: whole(
    'ALERT_VOLUME_MIN_COUNT',
    1,
    100_000,
    'captures in the hour (or in the baseline median, for a drop) below which volume is never abnormal',
  ),
  fpWindowH: whole('ALERT_FP_WINDOW_H', 1, 24 * 90, 'hours of review decisions in the false-positive rate'),
  fpRate: num('ALERT_FP_RATE', 0.01, 1, 'rejected share at review at or above which an alert is raised'),
  fpResolveRate: num('ALERT_FP_RESOLVE_RATE', 0, 1, 'rejected share under which the alert clears'),
  fpMinReviewed: whole('ALERT_FP_MIN_REVIEWED', 1, 100_000, 'decisions needed before the rate counts'),
  backlogH: whole('ALERT_BACKLOG_H', 1, 24 * 90, 'a review task waiting this many hours raises an alert'),
  queueStallS: whole(
    'ALERT_QUEUE_STALL_S',
    10,
    86_400,
    'a queue with jobs waiting this long and nothing completed in as long is stalled',
  ),
  detectorWindowS: whole('ALERT_DETECTOR_WINDOW_S', 60, 86_400, 'window of the detect failure rate'),
  detectorFailRate: num('ALERT_DETECTOR_FAIL_RATE', 0.01, 1, 'share of detect jobs failed that alerts'),
  detectorMinJobs: whole('ALERT_DETECTOR_MIN_JOBS', 1, 100_000, 'detect jobs needed before the rate counts'),
  detectorWaitS: whole(
    'ALERT_DETECTOR_WAIT_S',
    10,
    86_400,
    'frames waiting this long with no detection stored in the window: the detector is failing',
  ),
  channels: Type.Array(Type.Union(ALERT_CHANNELS.map((c) => Type.Literal(c))), {
    description: 'ALERT_CHANNELS: comma-separated channels of alert notices (sms, email, webhook)',
  }),
  notifyMaxTries: whole('ALERT_NOTIFY_MAX_TRIES', 1, 100, 'tries per channel before a notice is given up'),
  webhookUrl: Type.String({
    pattern: '^(https?://.*)?$',
    maxLength: 2048,
    description: 'ALERT_WEBHOOK_URL: where alerts are posted, signed; empty disables the webhook',
  }),
  webhookSecret: Type.String({ description: 'ALERT_WEBHOOK_SECRET: HMAC key of the webhook signature' }),
  webhookAllowPrivate: Type.Boolean({
    description: 'ALERT_WEBHOOK_ALLOW_PRIVATE: the webhook may be on a private network (default false)',
  }),
  webhookAllowLoopback: Type.Boolean({
    description: 'ALERT_WEBHOOK_ALLOW_LOOPBACK: the webhook may be on 127.0.0.0/8 (tests only)',
  }),
});

export type AlertSettings = Static<typeof AlertsSchema>;

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  evaluateEveryS: 60,
  cameraOfflineS: 600,
  cameraCriticalS: 3_600,
  volumeWeeks: 8,
  volumeMinWeeks: 4,
  volumeZ: 4,
  volumeResolveZ: 2,
  volumeMinCount: 5,
  fpWindowH: 168,
  fpRate: 0.4,
  fpResolveRate: 0.3,
  fpMinReviewed: 20,
  backlogH: 24,
  queueStallS: 600,
  detectorWindowS: 600,
  detectorFailRate: 0.5,
  detectorMinJobs: 10,
  detectorWaitS: 300,
  channels: ['sms', 'email', 'webhook'],
  notifyMaxTries: 5,
  webhookUrl: '',
  webhookSecret: '',
  webhookAllowPrivate: false,
  webhookAllowLoopback: false,
};

function variableOf(key: keyof AlertSettings): string {
  return (AlertsSchema.properties[key] as TSchema).description!.split(':')[0]!;
}

export function readAlerts(env: EnvReader): AlertSettings {
  const out: Record<string, unknown> = { ...DEFAULT_ALERT_SETTINGS };
  for (const key of Object.keys(DEFAULT_ALERT_SETTINGS) as (keyof AlertSettings)[]) {
    const variable = variableOf(key);
    const fallback = DEFAULT_ALERT_SETTINGS[key];
    if (typeof fallback === 'boolean') out[key] = env.bool(variable, fallback);
    else if (typeof fallback === 'string') out[key] = env.get(variable, fallback);
    else if (Array.isArray(fallback)) out[key] = env.list(variable) ?? [...fallback];
    else {
      const raw = env.get(variable, '').trim();
      if (raw === '') continue;
      if (!/^\d+(\.\d+)?$/.test(raw)) throw new ConfigError(`${variable} must be a number, got "${raw}"`);
      out[key] = Number(raw);
    }
  }
  const settings = out as AlertSettings;
  if (settings.volumeResolveZ > settings.volumeZ)
    throw new ConfigError('ALERT_VOLUME_RESOLVE_Z must not be above ALERT_VOLUME_Z');
  if (settings.fpResolveRate > settings.fpRate)
    throw new ConfigError('ALERT_FP_RESOLVE_RATE must not be above ALERT_FP_RATE');
  if (settings.volumeMinWeeks > settings.volumeWeeks)
    throw new ConfigError('ALERT_VOLUME_MIN_WEEKS must not be above ALERT_VOLUME_WEEKS');
  if (settings.webhookUrl && !URL.canParse(settings.webhookUrl))
    throw new ConfigError(`ALERT_WEBHOOK_URL is not a URL: "${settings.webhookUrl}"`);
  if (settings.webhookUrl && !settings.webhookSecret)
    throw new ConfigError('ALERT_WEBHOOK_SECRET is needed when ALERT_WEBHOOK_URL is set');
  return settings;
}
