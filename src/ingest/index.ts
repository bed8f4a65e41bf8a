/** Ingestion: raw input to Document. Feeds, URLs and catalogs come in here as they are added. */
export { parseDocument, canonicalUrl, contentHashOf, detectFormat, documentId, sha256, siteOf, webUrl, type RawInput } from './parse-document.js';
export { IngestError, type IngestErrorCode } from './errors.js';
export { DEFAULT_MAX_BYTES } from './decode.js';
