/** Document: one article, advisory or pasted text as Vigil received it, reduced to clean text. */
import { type Static, Type } from '@sinclair/typebox';

export const DocumentFormatSchema = Type.Union([Type.Literal('text'), Type.Literal('markdown'), Type.Literal('html')]);
export type DocumentFormat = Static<typeof DocumentFormatSchema>;

export const DocumentSchema = Type.Object({
  id: Type.String({ description: 'Stable identity: from the canonical URL when known, else the content hash.' }),
  contentHash: Type.String({ description: 'sha256 of title and text; a change means a new revision.' }),
  title: Type.String(),
  outlet: Type.String({ description: 'Who published it (the Source: header, site name, or "local file").' }),
  url: Type.Union([Type.String(), Type.Null()]),
  published: Type.Union([Type.String({ description: 'ISO 8601' }), Type.Null()]),
  format: DocumentFormatSchema,
  text: Type.String({ description: 'Plain article text; paragraphs separated by blank lines.' }),
  origin: Type.String({ description: 'Where it came from: a file path, "stdin", a URL.' }),
  example: Type.Boolean({ description: 'True for the demonstration documents shipped under examples/.' }),
});
export type Document = Static<typeof DocumentSchema>;
