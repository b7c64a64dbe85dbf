import { Type } from '@sinclair/typebox';
import type { EnvReader } from './env.js';

/** The notify worker: the case sweep, and notice deliveries over SMS, app push and e-mail. */
export const notifyWorkerSchema = {
  caseSweepIntervalS: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description: 'CASE_SWEEP_INTERVAL_S: how often the case sweep runs',
  }),
  deliveryAttempts: Type.Integer({
    minimum: 1,
    maximum: 50,
    description: 'DELIVERY_ATTEMPTS: tries per online delivery before postal fallback',
  }),
  deliveryBackoffMs: Type.Integer({
    minimum: 10,
    maximum: 86_400_000,
    description: 'DELIVERY_BACKOFF_MS: first retry delay, doubled each time',
  }),
  deliveryStaleS: Type.Integer({
    minimum: 1,
    maximum: 86_400,
    description:
      'DELIVERY_STALE_S: a delivery still pending this long after it was made has its job checked by the case sweep (enqueued again when lost, postal fallback when failed)',
  }),
  smsGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'SMS_GATEWAY_URL: base URL of the SMS gateway API; empty disables SMS',
  }),
  smsGatewayAccount: Type.String({ description: 'SMS_GATEWAY_ACCOUNT: account id sent with each request' }),
  smsGatewaySecret: Type.String({
    description: 'SMS_GATEWAY_SECRET: HMAC key for requests and delivery receipts',
  }),
  pushGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'PUSH_GATEWAY_URL: base URL of the app push API; empty disables push',
  }),
  pushGatewayAccount: Type.String({ description: 'PUSH_GATEWAY_ACCOUNT' }),
  pushGatewaySecret: Type.String({ description: 'PUSH_GATEWAY_SECRET: HMAC key for requests and receipts' }),
  smtpUrl: Type.String({
    pattern: '^(smtps?://.*)?$',
    description: 'SMTP_URL: e.g. smtp://user:pass@mail.example:587; empty disables e-mail',
  }),
  mailFrom: Type.String({ minLength: 3, description: 'MAIL_FROM: sender address of notice e-mails' }),
};

export function readNotifyWorker(env: EnvReader) {
  return {
    caseSweepIntervalS: env.int('CASE_SWEEP_INTERVAL_S', 30),
    deliveryAttempts: env.int('DELIVERY_ATTEMPTS', 6),
    deliveryBackoffMs: env.int('DELIVERY_BACKOFF_MS', 30_000),
    deliveryStaleS: env.int('DELIVERY_STALE_S', 120),
    smsGatewayUrl: env.get('SMS_GATEWAY_URL', ''),
    smsGatewayAccount: env.get('SMS_GATEWAY_ACCOUNT', ''),
    smsGatewaySecret: env.get('SMS_GATEWAY_SECRET', ''),
    pushGatewayUrl: env.get('PUSH_GATEWAY_URL', ''),
    pushGatewayAccount: env.get('PUSH_GATEWAY_ACCOUNT', ''),
    pushGatewaySecret: env.get('PUSH_GATEWAY_SECRET', ''),
    smtpUrl: env.get('SMTP_URL', ''),
    mailFrom: env.get('MAIL_FROM', 'notices@localhost'),
  };
}
