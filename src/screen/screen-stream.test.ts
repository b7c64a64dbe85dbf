import { describe, expect, it } from 'vitest';
import { sseMessage, StreamSlots } from './screen-stream.js';

describe('server-sent events', () => {
  it('writes one event with its data on one line', () => {
    expect(sseMessage('snapshot', { a: 'x\ny', b: 1 })).toBe(
      'event: snapshot\ndata: {"a":"x\\ny","b":1}\n\n',
    );
    expect(sseMessage('session-expired', {})).toBe('event: session-expired\ndata: {}\n\n');
  });
});

describe('streams per user', () => {
  it('refuses past the cap and frees a slot when a stream ends', () => {
    const slots = new StreamSlots(2);
    expect(slots.take('u1')).toBe(true);
    expect(slots.take('u1')).toBe(true);
    expect(slots.take('u1')).toBe(false);
    expect(slots.take('u2')).toBe(true);
    slots.give('u1');
    expect(slots.held('u1')).toBe(1);
    expect(slots.take('u1')).toBe(true);
    slots.give('u1');
    slots.give('u1');
    slots.give('u1');
    expect(slots.held('u1')).toBe(0);
  });
});
