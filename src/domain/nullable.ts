/** The one schema helper the domain types share: a value or null (JSON has no undefined). */
import { type TSchema, Type } from '@sinclair/typebox';

export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
