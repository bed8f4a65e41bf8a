/** Reads a CTID Mappings Explorer file (ATT&CK ↔ SP 800-53r5, ATT&CK ↔ KEV CVEs): its metadata and its mappable rows. */

export interface CtidMappingFile {
  readonly framework: string;
  readonly frameworkVersion: string;
  readonly attackVersion: string;
  readonly domain: string;
  /** capability (a control id or a CVE), mapping type and ATT&CK id; non_mappable rows are left out. */
  readonly rows: { capability: string; type: string; attackId: string; capabilityDescription: string | null }[];
}

type Obj = Record<string, any>;

/** CTID writes controls zero-padded ("CA-07", "AC-02(01)"); the catalog writes "CA-7", "AC-2(1)". */
export function controlId(raw: string): string {
  return raw.trim().toUpperCase().replace(/^([A-Z]{2})-0*(\d+)(?:\(0*(\d+)\))?$/, (_, f, n, e) => (e ? `${f}-${n}(${e})` : `${f}-${n}`));
}

export function readCtidMappings(text: string, framework: 'nist_800_53' | 'kev'): CtidMappingFile {
  const j = JSON.parse(text) as Obj;
  const meta = j?.metadata as Obj | undefined;
  if (!meta || !Array.isArray(j.mapping_objects)) throw new Error('no metadata and mapping_objects: not a Mappings Explorer file');
  if (meta.mapping_framework !== framework) throw new Error(`the file maps ${String(meta.mapping_framework)}, not ${framework}`);
  const rows: CtidMappingFile['rows'] = [];
  for (const m of j.mapping_objects as Obj[]) {
    if (m.status === 'non_mappable' || !m.capability_id || !m.mapping_type) continue;
    if (typeof m.attack_object_id !== 'string' || !/^T\d{4}(\.\d{3})?$/.test(m.attack_object_id)) continue;
    rows.push({ capability: framework === 'nist_800_53' ? controlId(String(m.capability_id)) : String(m.capability_id).trim(), type: String(m.mapping_type), attackId: m.attack_object_id, capabilityDescription: m.capability_description ?? null });
  }
  if (rows.length === 0) throw new Error('the file holds no mappable row');
  return {
    framework, frameworkVersion: String(meta.mapping_framework_version ?? ''), attackVersion: String(meta.attack_version ?? ''),
    domain: String(meta.technology_domain ?? ''), rows,
  };
}
