/**
 * What can go wrong between a camera and the frame store. Every failure carries a stable `code` that the
 * ingest worker records as a camera error (and the registry shows), and a message that names the camera URL
 * (without credentials), the limit or the value at fault.
 */
export type UrlRefusalCode = 'bad_url' | 'refused_scheme' | 'refused_address' | 'refused_path';
export type FrameRejectionCode =
  'empty' | 'corrupt' | 'too_large' | 'bad_content_type' | 'unsupported_format';
export type SourceFailureCode =
  'unreachable' | 'timeout' | 'too_many_redirects' | 'bad_status' | 'stream_failed' | 'stalled';
export type IngestErrorCode = UrlRefusalCode | FrameRejectionCode | SourceFailureCode;

export abstract class IngestError extends Error {
  abstract readonly code: IngestErrorCode;
}

/** The camera URL or path is not one this deployment may connect to or read. */
export class CameraUrlRefusedError extends IngestError {
  constructor(
    readonly code: UrlRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'CameraUrlRefusedError';
  }
}

/** The bytes arrived but are not a frame we accept. */
export class FrameRejectedError extends IngestError {
  constructor(
    readonly code: FrameRejectionCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'FrameRejectedError';
  }
}

/** The camera could not be reached, answered wrongly, or its stream broke off. */
export class SourceFailureError extends IngestError {
  constructor(
    readonly code: SourceFailureCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SourceFailureError';
  }
}

/** Any thrown value as an IngestError, so a source never passes on something the worker cannot record. */
export function asIngestError(error: unknown, context: string): IngestError {
  if (error instanceof IngestError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new SourceFailureError('stream_failed', `${context}: ${detail}`, { cause: error });
}

const SECRET_QUERY_KEY = /^(user(name)?|pass(word)?|pwd|token|auth|key|secret|sig(nature)?)$/i;

/**
 * The URL as it may appear in logs, errors and health: credentials replaced, because camera URLs often carry
 * them, in the user info (rtsp://admin:secret@...) or in the query (snapshot.cgi?user=admin&pwd=...).
 */
export function redactUrl(url: string | URL): string {
  try {
    const parsed = new URL(url.toString());
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    for (const name of [...parsed.searchParams.keys()]) {
      if (SECRET_QUERY_KEY.test(name)) parsed.searchParams.set(name, '***');
    }
    return parsed.toString();
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Free text (ffmpeg's stderr) with credentials removed wherever it quotes a URL: ffmpeg echoes the input URL,
 * user name and password included, in its error messages.
 */
export function redactText(text: string): string {
  return text
    .replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(
      /([?&](?:user(?:name)?|pass(?:word)?|pwd|token|auth|key|secret|sig(?:nature)?)=)[^&\s:]*/gi,
      '$1***',
    );
}
