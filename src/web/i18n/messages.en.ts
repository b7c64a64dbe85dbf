import type { MessageKey } from './messages.zh.js';

/** The staff pages' words in English, one for every key of `messages.zh.ts` (a missing or extra key fails tsc). */
export const en: Readonly<Record<MessageKey, string>> = {
  'app.name': 'City enforcement',
  'common.yes': 'yes',
  'common.no': 'no',
  'common.none': 'none',
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.save': 'Save',

  'nav.cameras': 'Cameras',
  'nav.review': 'Review',
  'nav.cases': 'Cases',
  'nav.devices': 'Public device list',
  'nav.queues': 'Queues',
  'nav.signOut': 'Sign out',
  'nav.language': '中文',
  'nav.languageTitle': 'Switch to Chinese',

  'error.notFound': 'Not found',
  'error.forbidden': 'Forbidden',
  'error.badRequest': 'Bad request',
  'error.conflict': 'Conflict',
  'error.internal': 'Something went wrong',
  'error.requestId': 'Request id: {id}',
  'error.home': 'Back to the start',
};
