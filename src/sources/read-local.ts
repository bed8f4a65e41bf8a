/** Reads local sources: a folder of documents (each new or edited file becomes a document) and a single web page. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Document, Source } from '../domain/index.js';
import type { FetchResult } from '../fetch/index.js';
import { documentId, parseDocument, sha256 } from '../ingest/index.js';
import { readInput } from '../ingest/read-input.js';
import { ingestDocument } from '../pipeline.js';
import type { SourceDeps } from './deps.js';
import { SourceError } from './definitions.js';
import { pageDocument } from './entry-document.js';
import { notModified, type ReadResult, Tally } from './run-report.js';

const DOCUMENT_FILES = /\.(txt|text|md|markdown|html?|xhtml)$/i;
// A folder source is a drop box, not a disk scan: past this many files the rest wait for the next run.
const MAX_FILES = 10_000;

/** Files under a folder, in a stable order, skipping hidden files and symbolic links (which could leave the folder). */
export function listFiles(root: string, accept: RegExp, limit = MAX_FILES): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (out.length >= limit || e.name.startsWith('.') || e.isSymbolicLink()) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.isFile() && accept.test(e.name)) out.push(full);
    }
  };
  walk(root);
  return out;
}

export function requireFolder(location: string): string {
  const root = path.resolve(location);
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) throw new SourceError(`${location} is not a readable folder`);
  return root;
}

export async function readFolder(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const root = requireFolder(source.location);
  const files = listFiles(root, DOCUMENT_FILES);
  const tally = new Tally();
  if (files.length >= MAX_FILES) tally.warn(`more than ${MAX_FILES} files: the first ${MAX_FILES} were read`);
  const progress = deps.progress(source.name, files.length);
  for (const file of files) {
    tally.entries++;
    const key = `file:${path.relative(root, file)}`;
    try {
      const input = await readInput(file, deps.maxBytes);
      const hash = createHash('sha256').update(input.bytes).digest('hex');
      const seen = await deps.store.getSourceEntry(source.name, key);
      if (seen?.entryHash === hash) tally.count('unchanged');
      else {
        const parsed = parseDocument(input);
        // A file without a URL is known by its path in the folder: editing it updates one document, not a new one.
        const document = parsed.url ? parsed : { ...parsed, id: documentId(null, sha256(`${source.name}\n${key}`)) };
        const r = await ingestDocument(deps.store, document, deps.pipeline);
        await deps.store.saveSourceEntry(source.name, key, { entryHash: hash, documentId: r.document.id }, deps.pipeline.now().toISOString());
        tally.count(r.document_);
      }
    } catch (e) {
      tally.fail(file, e);
    }
    progress.tick();
  }
  progress.done();
  return tally.result();
}

const PAGE_ACCEPT = 'text/html, application/xhtml+xml;q=0.9';

function pageOf(response: Extract<FetchResult, { kind: 'ok' }>, outlet: string | null): Document {
  if (response.contentType && !/html|xml|text\/plain/i.test(response.contentType)) {
    throw new SourceError(`${response.url} is ${response.contentType}, not a web page`);
  }
  return pageDocument(new TextDecoder('utf-8').decode(response.body), response.url, outlet);
}

/** One article or advisory page, fetched through the same guarded fetcher as every source (`vigil ingest URL`). */
export async function fetchPage(url: string, deps: SourceDeps): Promise<Document> {
  const response = await deps.fetcher.fetch({ url, accept: PAGE_ACCEPT });
  if (response.kind !== 'ok') throw new SourceError(`${url} answered 304 to an unconditional request`);
  return pageOf(response, null);
}

export async function readPage(source: Source, deps: SourceDeps): Promise<ReadResult> {
  const { etag, lastModified } = source.health;
  const response = await deps.fetcher.fetch({ url: source.location, etag, lastModified, accept: PAGE_ACCEPT });
  if (response.kind === 'not-modified') return notModified(response.etag ?? etag, response.lastModified ?? lastModified);
  const tally = new Tally();
  tally.entries = 1;
  const r = await ingestDocument(deps.store, pageOf(response, source.title), deps.pipeline);
  tally.count(r.document_);
  return tally.result({ etag: response.etag, lastModified: response.lastModified });
}
