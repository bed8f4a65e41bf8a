/** Fills kb text templates ({vendor}, {window}...) from an event's facts; unknown facts read as plain fallbacks. */
export const PLACEHOLDERS = [
  'victim', 'vendor', 'product', 'products', 'actor', 'cves', 'window', 'windowStart', 'windowEnd',
  'lookbackStart', 'disclosed', 'discovered', 'asOf', 'dataTypes', 'iocCount', 'tenant', 'tenantHost',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
export type TemplateValues = Record<Placeholder, string>;

const TOKEN = /\{\{|\}\}|\{([A-Za-z]+)\}/g;

/** Names used in a template that are not placeholders; doubled braces are literal braces. */
export function unknownPlaceholders(template: string): string[] {
  const bad: string[] = [];
  for (const m of template.matchAll(TOKEN)) {
    if (m[1] && !(PLACEHOLDERS as readonly string[]).includes(m[1])) bad.push(m[1]);
  }
  const stripped = template.replace(TOKEN, '');
  if (/[{}]/.test(stripped)) bad.push('a single "{" or "}" (write literal braces as {{ and }})');
  return bad;
}

export function fillTemplate(template: string, values: TemplateValues): string {
  return template.replace(TOKEN, (m, name?: string) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    return values[name as Placeholder] ?? m;
  });
}
