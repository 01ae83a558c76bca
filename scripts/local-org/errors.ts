/**
 * Errors as an org reports them. Every layer throws SfError; the HTTP layer
 * turns it into Salesforce's JSON error array (`errorCode`) and collections
 * into per-record results (`statusCode`).
 */
export class SfError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly fields: string[] | undefined = undefined,
    readonly status = 400
  ) {
    super(message);
    this.name = errorCode;
  }

  /** The REST error body element. */
  toJSON(): { message: string; errorCode: string; fields?: string[] } {
    return this.fields === undefined
      ? { message: this.message, errorCode: this.errorCode }
      : { message: this.message, errorCode: this.errorCode, fields: this.fields };
  }

  /** The per-record error of collections, trees and bulk results. */
  toRecordError(): { statusCode: string; message: string; fields: string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields ?? [] };
  }
}

export function notFound(): SfError {
  return new SfError('NOT_FOUND', 'The requested resource does not exist', undefined, 404);
}

/** Wraps anything thrown into an SfError without leaking internals. */
export function asSfError(err: unknown): SfError {
  if (err instanceof SfError) return err;
  return new SfError(
    'UNKNOWN_EXCEPTION',
    'An unexpected error occurred. Please include this ErrorId if you contact support: local-org',
    undefined,
    500
  );
}
