import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractIocs } from '../../src/extract/iocs.js';

const of = (text: string, type: string) => extractIocs(text).filter((i) => i.type === type).map((i) => i.value);

describe('extractIocs: file names that look like hosts', () => {
  it('reads a script name after "domain" or "indicator" as a file, not a domain', () => {
    const text = 'Indicators of compromise: the domain cdn-edge-metrics.net and pyhelper.py were seen.';
    assert.deepEqual(of(text, 'domain'), ['cdn-edge-metrics.net']);
    assert.deepEqual(of('The indicator pyhelper.py was dropped.', 'domain'), []);
    assert.deepEqual(of('The indicator pyhelper.py was dropped.', 'file'), ['pyhelper.py']);
    assert.deepEqual(of('- domain: cdn-edge-metrics.net\n- path: /var/tmp/.sess/pyhelper.py\n- file: pyhelper.py', 'domain'), ['cdn-edge-metrics.net']);
  });

  it('still reads a .zip host the text calls a domain, and one written defanged', () => {
    assert.deepEqual(of('Victims were sent to the domain microsoft-office.zip for the lure.', 'domain'), ['microsoft-office.zip']);
    assert.deepEqual(of('Lure host: invoice[.]zip', 'domain'), ['invoice.zip']);
    assert.deepEqual(of('The malicious domain a-b.net and the archive invoice.zip.', 'domain'), ['a-b.net']);
  });
});

describe('extractIocs: a host first seen inside an e-mail address or URL', () => {
  it('reports the host at its own later mention, so it survives as an indicator of its own', () => {
    const text = 'Mail came from billing@evil-invoices.com. Later the host evil-invoices.com served the payload.';
    const dom = extractIocs(text).filter((i) => i.type === 'domain');
    assert.equal(dom.length, 1);
    assert.equal(dom[0].value, 'evil-invoices.com');
    assert.equal(dom[0].start, text.lastIndexOf('evil-invoices.com'));
    const url = 'Payload at https://cdn.bad-host.net/x.bin; beacons go to cdn.bad-host.net.';
    assert.equal(extractIocs(url).find((i) => i.type === 'domain')?.start, url.lastIndexOf('cdn.bad-host.net'));
  });

  it('keeps the host inside the address when the text names it nowhere else', () => {
    const text = 'Mail came from billing@evil-invoices.com.';
    const dom = extractIocs(text).filter((i) => i.type === 'domain');
    assert.deepEqual(dom.map((d) => [d.value, d.start]), [['evil-invoices.com', text.indexOf('evil-invoices.com')]]);
  });
});

describe('extractIocs: file names with spaces or "!"', () => {
  it('reads a quoted name whole', () => {
    assert.deepEqual(of('The attachment "Invoice 2026.pdf.exe" ran.', 'file'), ['Invoice 2026.pdf.exe']);
    assert.deepEqual(of('The archive “Payment Details.zip” was attached.', 'file'), ['Payment Details.zip']);
  });

  it('keeps "!" inside a name and the capital words of a ransom note', () => {
    assert.deepEqual(of('The ransom note !READ_ME!.txt was left in every folder.', 'file'), ['!READ_ME!.txt']);
    assert.deepEqual(of('The file READ ME!.txt was left.', 'file'), ['READ ME!.txt']);
    assert.deepEqual(of('The dropper wrote HOW TO RESTORE FILES.hta to the desktop.', 'file'), ['HOW TO RESTORE FILES.hta']);
    assert.deepEqual(of('The ransom note readme_ashwren.txt was left.', 'file'), ['readme_ashwren.txt']);
  });

  it('does not take a sentence\'s exclamation or a quoted phrase for a name', () => {
    assert.deepEqual(of('Run setup.exe!', 'file'), ['setup.exe']);
    assert.deepEqual(of('He said "see the docs" and left.', 'file'), []);
    assert.deepEqual(of('Wow! It works.', 'file'), []);
  });
});
