/** Typed ingestion errors: one code per way a document can be refused, with the origin it came from. */
export type IngestErrorCode = 'empty' | 'binary' | 'invalid-utf8' | 'too-large' | 'unknown-format' | 'unreadable';

export class IngestError extends Error {
  readonly code: IngestErrorCode;
  readonly origin: string;
  constructor(code: IngestErrorCode, origin: string, message: string, options?: { cause?: unknown }) {
    super(`ingest: ${origin}: ${message}`, options);
    this.name = 'IngestError';
    this.code = code;
    this.origin = origin;
  }
}
