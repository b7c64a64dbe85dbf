import { describe, expect, it } from 'vitest';
import { asIngestError, FrameRejectedError, redactText, redactUrl } from './ingest-errors.js';

describe('redactUrl', () => {
  it('hides user info and secret-looking query parameters', () => {
    expect(redactUrl('rtsp://admin:hunter2@10.0.0.7:554/live')).toBe('rtsp://***@10.0.0.7:554/live');
    expect(redactUrl('http://10.0.0.7/cgi-bin/snapshot.cgi?user=admin&pwd=hunter2&channel=1')).toBe(
      'http://10.0.0.7/cgi-bin/snapshot.cgi?user=***&pwd=***&channel=1',
    );
    expect(redactUrl('not a url')).toBe('(unparseable URL)');
  });
});

describe('redactText', () => {
  it('hides credentials in URLs quoted inside free text such as ffmpeg messages', () => {
    const stderr =
      '[tcp @ 0x1] Connection to tcp://10.0.0.7:554 failed | rtsp://admin:hunter2@10.0.0.7:554/live?token=abc: Connection refused';
    const clean = redactText(stderr);
    expect(clean).not.toMatch(/hunter2|abc/);
    expect(clean).toContain('rtsp://***@10.0.0.7:554/live?token=***: Connection refused');
    expect(clean).toContain('tcp://10.0.0.7:554 failed');
  });
});

describe('asIngestError', () => {
  it('keeps ingest errors and wraps anything else with its context', () => {
    const rejected = new FrameRejectedError('empty', 'cam: empty');
    expect(asIngestError(rejected, 'cam')).toBe(rejected);
    const wrapped = asIngestError(new Error('EMFILE: too many open files'), 'cam-7');
    expect(wrapped).toMatchObject({ code: 'stream_failed', message: 'cam-7: EMFILE: too many open files' });
  });
});
