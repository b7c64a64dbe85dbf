import { Type } from '@sinclair/typebox';
import { ConfigError, type EnvReader } from './env.js';

/**
 * Voice calls for the warning (Pudong art. 15: the bureau warns "通过短信告知或者语音电话等方式"). `task`: every
 * warning to a party with a phone number also makes a call task for district staff (a field task with reason
 * voice_call); `off`: the warning goes by SMS, e-mail or post only. No automated call platform is assumed.
 */
export const VOICE_CALL_MODES = ['off', 'task'] as const;
export type VoiceCallMode = (typeof VOICE_CALL_MODES)[number];

export const voiceCallSchema = {
  warningVoiceCall: Type.Union([Type.Literal('off'), Type.Literal('task')], {
    description:
      'WARNING_VOICE_CALL: off, or task (a warning also makes a staff call task when the party has a phone)',
  }),
};

export function readVoiceCall(env: EnvReader): { warningVoiceCall: VoiceCallMode } {
  const raw = env.get('WARNING_VOICE_CALL', 'off').trim();
  if (!(VOICE_CALL_MODES as readonly string[]).includes(raw))
    throw new ConfigError(`WARNING_VOICE_CALL must be off or task, got "${raw}"`);
  return { warningVoiceCall: raw as VoiceCallMode };
}
