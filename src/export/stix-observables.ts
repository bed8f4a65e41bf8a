/** One Vigil indicator as a STIX 2.1 pattern and the cyber-observable objects it describes. */
import type { Ioc } from '../domain/index.js';
import { type StixObject, scoId } from './stix-core.js';

export interface Observation {
  pattern: string;
  /** The observables the pattern matches, the one the indicator is based on first; none where STIX defines none. */
  observables: StixObject[];
}

/** Inside a pattern's single-quoted string only the backslash and the quote are special. */
export function patternString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

const HASH_KEYS: Partial<Record<Ioc['type'], string>> = { md5: 'MD5', sha1: 'SHA-1', sha256: 'SHA-256', sha512: 'SHA-512', ssdeep: 'SSDEEP' };

/** STIX requires the hive spelled out (HKEY_LOCAL_MACHINE); reports mostly abbreviate it. */
const HIVES: Record<string, string> = {
  HKLM: 'HKEY_LOCAL_MACHINE', HKCU: 'HKEY_CURRENT_USER', HKCR: 'HKEY_CLASSES_ROOT', HKU: 'HKEY_USERS', HKCC: 'HKEY_CURRENT_CONFIG',
};

export function fullRegistryKey(key: string): string {
  const sep = key.indexOf('\\');
  const hive = (sep < 0 ? key : key.slice(0, sep)).replace(/:$/, '').toUpperCase();
  return HIVES[hive] ? `${HIVES[hive]}${sep < 0 ? '' : key.slice(sep)}` : key;
}

/** A path's directory and file name; the directory keeps its separator when it is a root (C:\, /), so it stays a path. */
export function splitPath(path: string): { directory: string | null; name: string | null } {
  const cut = Math.max(path.lastIndexOf('\\'), path.lastIndexOf('/'));
  if (cut < 0) return { directory: null, name: path };
  if (cut === path.length - 1) return { directory: path, name: null };
  const root = cut === 0 || path[cut - 1] === ':' || path.slice(0, cut + 1) === '~/';
  return { directory: path.slice(0, root ? cut + 1 : cut), name: path.slice(cut + 1) };
}

/** STIX url values must be RFC 3986 URIs: a host or path written in Unicode is punycoded and percent-encoded. */
function asUri(url: string): string {
  if (!/[^\x21-\x7e]/.test(url)) return url;
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

type Marked = { object_marking_refs: string[] };

function sco(type: string, contributing: Record<string, unknown>, rest: Record<string, unknown>, marking: Marked): StixObject {
  return { type, spec_version: '2.1', id: scoId(type, contributing), ...contributing, ...rest, ...marking };
}

const valueSco = (type: string, value: string | number, marking: Marked, key = 'value') => sco(type, { [key]: value }, {}, marking);

/**
 * The pattern and observables for an indicator. Wallet addresses have no STIX 2.1 observable, so their pattern
 * names the `cryptocurrency-wallet` object most tools use, and no observable is emitted.
 */
export function observe(ioc: Pick<Ioc, 'type' | 'value'>, markingRefs: string[]): Observation {
  const marking = { object_marking_refs: markingRefs };
  const v = ioc.value;
  const simple = (type: string, value: string, op = '=') => ({ pattern: `[${type}:value ${op} ${patternString(value)}]`, observables: [valueSco(type, value, marking)] });
  switch (ioc.type) {
    case 'ipv4': return simple('ipv4-addr', v);
    case 'ipv6': return simple('ipv6-addr', v);
    case 'cidr': return simple(v.includes(':') ? 'ipv6-addr' : 'ipv4-addr', v, 'ISSUBSET');
    case 'domain': return simple('domain-name', v);
    case 'url': return simple('url', asUri(v));
    case 'email': return simple('email-addr', v);
    case 'mac': return simple('mac-addr', v.toLowerCase());
    case 'md5': case 'sha1': case 'sha256': case 'sha512': case 'ssdeep': {
      const key = HASH_KEYS[ioc.type]!;
      const hash = ioc.type === 'ssdeep' ? v : v.toLowerCase();
      const path = /^[A-Z0-9]+$/.test(key) ? key : `'${key}'`;
      return { pattern: `[file:hashes.${path} = ${patternString(hash)}]`, observables: [sco('file', { hashes: { [key]: hash } }, {}, marking)] };
    }
    case 'file':
      return { pattern: `[file:name = ${patternString(v)}]`, observables: [sco('file', { name: v }, {}, marking)] };
    case 'path': {
      const { directory, name } = splitPath(v);
      if (!name) return { pattern: `[directory:path = ${patternString(v)}]`, observables: [sco('directory', { path: v }, {}, marking)] };
      if (!directory) return { pattern: `[file:name = ${patternString(name)}]`, observables: [sco('file', { name }, {}, marking)] };
      const dir = sco('directory', { path: directory }, {}, marking);
      return {
        pattern: `[file:name = ${patternString(name)} AND file:parent_directory_ref.path = ${patternString(directory)}]`,
        observables: [sco('file', { name, parent_directory_ref: dir.id }, {}, marking), dir],
      };
    }
    case 'registry': {
      const key = fullRegistryKey(v);
      return { pattern: `[windows-registry-key:key = ${patternString(key)}]`, observables: [sco('windows-registry-key', { key }, {}, marking)] };
    }
    case 'asn': {
      const number = Number(v.replace(/^AS/i, ''));
      return { pattern: `[autonomous-system:number = ${number}]`, observables: [valueSco('autonomous-system', number, marking, 'number')] };
    }
    case 'btc': case 'xmr':
      return { pattern: `[cryptocurrency-wallet:value = ${patternString(v)}]`, observables: [] };
  }
}
