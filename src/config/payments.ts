import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';
import { baseUrl } from './server.js';

const DEV_PAYMENT_SECRET = 'development-only-payment-secret-0123456789';

/** Online payment: the provider, its callbacks, and the sandbox that plays it outside production. */
export const paymentsSchema = {
  paymentSandbox: Type.Boolean({
    description:
      'PAYMENT_SANDBOX: serve the sandbox payment provider under /sandbox/pay (never in production unless set)',
  }),
  paymentGatewayName: Type.String({
    pattern: '^[a-z0-9_-]{1,32}$',
    description: 'PAYMENT_GATEWAY_NAME: recorded on payments and callbacks',
  }),
  paymentGatewayUrl: Type.String({
    pattern: '^(https?://.*)?$',
    description: 'PAYMENT_GATEWAY_URL: base URL of the payment provider API; empty disables online payment',
  }),
  paymentGatewayMerchant: Type.String({
    minLength: 1,
    description: 'PAYMENT_GATEWAY_MERCHANT: merchant id at the provider',
  }),
  paymentGatewaySecret: Type.String({
    description:
      'PAYMENT_GATEWAY_SECRET: HMAC key shared with the provider (at least 16 characters when a provider is set)',
  }),
  fiscalEbill: Type.Union([Type.Literal('sandbox'), Type.Literal('none')], {
    description:
      'FISCAL_EBILL: the fiscal e-bill platform receipts ask for a bill (sandbox outside production; none until a platform adapter is connected)',
  }),
  paymentCallbackRefusedPerMinute: Type.Integer({
    minimum: 1,
    maximum: 100_000,
    description:
      'PAYMENT_CALLBACK_REFUSED_PER_MINUTE: refused (unsigned or forged) payment callbacks kept per client address per minute; more are answered 429 and not stored',
  }),
  paymentCallbackRefusedKeep: Type.Integer({
    minimum: 10,
    maximum: 10_000_000,
    description:
      'PAYMENT_CALLBACK_REFUSED_KEEP: how many refused payment callbacks are kept for inspection; older ones are removed',
  }),
};

export function readPayments(env: EnvReader, server: { publicBaseUrl: string }) {
  const paymentSandbox = env.bool('PAYMENT_SANDBOX', !env.production);
  // The sandbox plays the provider inside this app with a development secret; production refuses that secret
  // and, without a configured provider, simply offers no online payment.
  const paymentGatewaySecret = env.get('PAYMENT_GATEWAY_SECRET', paymentSandbox ? DEV_PAYMENT_SECRET : '');
  if (env.production && paymentGatewaySecret === DEV_PAYMENT_SECRET) {
    throw new ConfigError('PAYMENT_GATEWAY_SECRET must be set to a private value in production');
  }
  const payments = {
    paymentSandbox,
    paymentGatewayName: env.get('PAYMENT_GATEWAY_NAME', paymentSandbox ? 'sandbox' : 'hmac'),
    paymentGatewayUrl: env.get(
      'PAYMENT_GATEWAY_URL',
      paymentSandbox ? `${baseUrl(server)}/sandbox/pay/api` : '',
    ),
    paymentGatewayMerchant: env.get('PAYMENT_GATEWAY_MERCHANT', 'city-enforcement'),
    paymentGatewaySecret,
    fiscalEbill: readFiscalEbill(env.get('FISCAL_EBILL', env.production ? 'none' : 'sandbox')),
    paymentCallbackRefusedPerMinute: env.int('PAYMENT_CALLBACK_REFUSED_PER_MINUTE', 30),
    paymentCallbackRefusedKeep: env.int('PAYMENT_CALLBACK_REFUSED_KEEP', 1000),
  };
  if (payments.paymentGatewayUrl && payments.paymentGatewaySecret.length < 16) {
    throw new ConfigError(
      'invalid configuration: PAYMENT_GATEWAY_SECRET must have at least 16 characters when PAYMENT_GATEWAY_URL is set',
    );
  }
  return payments;
}

function readFiscalEbill(raw: string): 'sandbox' | 'none' {
  if (raw === 'sandbox' || raw === 'none') return raw;
  throw new ConfigError(`invalid configuration: FISCAL_EBILL must be sandbox or none, got "${raw}"`);
}
