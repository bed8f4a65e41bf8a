/** The error a broken kb file raises at start-up: it names the file and the field. */
export class KbError extends Error {
  readonly file: string;
  readonly field: string;
  constructor(file: string, field: string, message: string, options?: { cause?: unknown }) {
    super(`kb: ${file}: ${field || '(root)'}: ${message}`, options);
    this.name = 'KbError';
    this.file = file;
    this.field = field;
  }
}
