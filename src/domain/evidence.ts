/** Evidence: the span of text (or the rule) a derived fact came from, so every fact can say why it is there. */
import { type Static, Type } from '@sinclair/typebox';

export const EvidenceSchema = Type.Object(
  {
    text: Type.String({ description: 'The sentence or fragment the fact was read from.' }),
    start: Type.Optional(Type.Integer({ minimum: 0, description: 'Offset of the span in the document text.' })),
    end: Type.Optional(Type.Integer({ minimum: 0 })),
    rule: Type.String({ description: 'The rule, pattern or knowledge entry that produced the fact.' }),
    documentId: Type.Optional(Type.String()),
    score: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'How strongly this sentence supports the fact, for a model\'s reading.' })),
  },
  { $id: 'Evidence' },
);
export type Evidence = Static<typeof EvidenceSchema>;

export const ConfidenceSchema = Type.Union([Type.Literal('high'), Type.Literal('medium'), Type.Literal('low')]);
export type Confidence = Static<typeof ConfidenceSchema>;

/** An identifier with its official title, as cited from a catalog (800-53, CIS, CSF, ATT&CK, CWE). */
export const RefSchema = Type.Object({ id: Type.String(), title: Type.String() });
export type Ref = Static<typeof RefSchema>;
