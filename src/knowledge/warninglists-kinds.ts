/** Which MISP warninglists Vigil imports, and what a hit on each means for an IOC: data, read by the importer and by the IOC table. */

/**
 * - special-use: reserved, private and documentation ranges and names. Never an indicator.
 * - non-malicious: values that are facts, not judgements (empty-file and EICAR digests, public
 *   resolvers, CRL/OCSP endpoints, sinkholes). Blocking them harms everyone, however the text writes them.
 * - reference: security vendors' blogs and analysis services, which reports cite as sources. Benign
 *   unless the text treats the value as hostile (defanged, or in malicious wording).
 * - top-sites and shared: popular sites, cloud and CDN ranges, URL shorteners, big vendors' domains.
 *   They hold hosts attackers abuse (pastebin.com, raw.githubusercontent.com, drive.google.com,
 *   *.blob.core.windows.net), so a hit lowers confidence and never marks the value benign.
 */
export const WARNINGLIST_KINDS = ['special-use', 'non-malicious', 'reference', 'top-sites', 'shared'] as const;
export type WarninglistKind = (typeof WARNINGLIST_KINDS)[number];

/** What a hit does to an IOC. */
export const KIND_EFFECT: Readonly<Record<WarninglistKind, 'benign' | 'benign-unless-hostile' | 'lower-confidence'>> = {
  'special-use': 'benign',
  'non-malicious': 'benign',
  reference: 'benign-unless-hostile',
  'top-sites': 'lower-confidence',
  shared: 'lower-confidence',
};

/** Why a hit of each kind that lowers confidence does so, for the rule shown beside it. */
export const LOWERED_BECAUSE: Readonly<Record<WarninglistKind, string>> = {
  'special-use': 'a special-use value',
  'non-malicious': 'a value known not to be malicious',
  reference: 'a security vendor or analysis service, which the text treats as hostile',
  'top-sites': 'a popular site, so the value alone indicates little',
  shared: 'shared infrastructure, so the value alone indicates little',
};

/**
 * The lists imported, by folder under misp-warninglists/lists. Left out: tlds and second-level-tlds
 * (an extracted host is never a bare suffix), cisco_top1000 (inside cisco_top10k), and
 * ti-falsepositives (24,645 digests, the size of every other list together).
 */
export const WARNINGLISTS: Readonly<Record<string, WarninglistKind>> = {
  rfc1918: 'special-use',
  rfc5735: 'special-use',
  rfc6598: 'special-use',
  rfc3849: 'special-use',
  rfc6761: 'special-use',
  multicast: 'special-use',
  'ipv6-linklocal': 'special-use',
  'empty-hashes': 'non-malicious',
  'eicar.com': 'non-malicious',
  'common-ioc-false-positive': 'non-malicious',
  'public-dns-v4': 'non-malicious',
  'public-dns-v6': 'non-malicious',
  'crl-hostname': 'non-malicious',
  'crl-ip': 'non-malicious',
  sinkholes: 'non-malicious',
  'security-provider-blogpost': 'reference',
  'automated-malware-analysis': 'reference',
  tranco10k: 'top-sites',
  cisco_top10k: 'top-sites',
  'cloudflare-top10k': 'top-sites',
  majestic_million: 'top-sites',
  'moz-top500': 'top-sites',
  'url-shortener': 'shared',
  'link-in-bio': 'shared',
  'whats-my-ip': 'shared',
  google: 'shared',
  microsoft: 'shared',
  'microsoft-office365': 'shared',
  'microsoft-win10-connection-endpoints': 'shared',
  'amazon-aws': 'shared',
  'microsoft-azure': 'shared',
  'microsoft-office365-ip': 'shared',
  'google-gcp': 'shared',
  cloudflare: 'shared',
  fastly: 'shared',
  akamai: 'shared',
};
