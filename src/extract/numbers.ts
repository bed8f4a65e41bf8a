/** Reads counts written in words or digits ("five days", "61,000 patients"). */
const WORDS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50,
};
export const NUMBER_WORD = `(?:\\d[\\d,]*(?:\\.\\d+)?|${Object.keys(WORDS).filter((w) => w.length > 2).join('|')}|a|an)`;

export function parseNumber(text: string): number | null {
  const t = text.toLowerCase().replace(/,/g, '');
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  return WORDS[t] ?? null;
}
