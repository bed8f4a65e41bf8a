/** Parses the publication dates documents carry into ISO 8601, or null when they cannot be read. */
export function toIsoDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (trimmed === '') return null;
  // A bare date is a calendar day, not midnight in the reader's zone.
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return `${trimmed}T00:00:00.000Z`;
  // A time without a zone is taken as UTC: the host's zone must never move a publication date.
  const zoneless = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(trimmed);
  const ms = Date.parse(zoneless ? `${trimmed.replace(' ', 'T')}Z` : trimmed);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
