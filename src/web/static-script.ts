/** The page script, served from /static/vigil.js (the CSP forbids inline scripts): copy buttons, details opened for print, fetch-enhanced step forms. */

/**
 * The inverse of src/extract/refang.ts defang(), by IOC type: "Copy raw" refangs the defanged text in the browser, so the
 * live value never has to sit in the page. Only the parts defang() changes are touched (a URL's scheme and host).
 */
export const UNDEFANG_SOURCE = String.raw`function vigilUndefang(type, text) {
  var dots = function (s) { return s.split('[.]').join('.'); };
  if (type === 'domain' || type === 'ipv4' || type === 'cidr') return dots(text);
  if (type === 'ipv6') return text.split('[:]').join(':');
  if (type === 'email') {
    var k = text.lastIndexOf('[@]');
    return k < 0 ? text : text.slice(0, k) + '@' + dots(text.slice(k + 3));
  }
  if (type === 'url') {
    var m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)([\s\S]*)$/i.exec(text);
    if (!m) return dots(text);
    var scheme = m[1].replace(/^hxxp/i, 'http').replace(/^fxp/i, 'ftp');
    return scheme + '://' + dots(m[2]) + m[3];
  }
  return text;
}`;

const MAIN_SOURCE = String.raw`(function () {
  'use strict';
  var live = document.createElement('p');
  live.className = 'sr-only';
  live.setAttribute('role', 'status');
  document.body.appendChild(live);
  var say = function (text) { live.textContent = ''; setTimeout(function () { live.textContent = text; }, 30); };

  // Copy buttons are hidden until this runs: without a script the value is plain, selectable text.
  document.querySelectorAll('button.copy').forEach(function (b) { b.hidden = false; });
  document.addEventListener('click', function (ev) {
    var button = ev.target instanceof Element ? ev.target.closest('button.copy') : null;
    if (!button) return;
    var holder = button.closest('.copyable');
    var code = holder && holder.querySelector('.copy-value');
    if (!code) return;
    var text = code.textContent || '';
    if (button.getAttribute('data-copy') === 'raw') text = vigilUndefang(holder.getAttribute('data-type') || '', text);
    var selectIt = function () {
      var range = document.createRange();
      range.selectNodeContents(code);
      var sel = window.getSelection();
      if (sel) { sel.removeAllRanges(); sel.addRange(range); }
      say('Clipboard unavailable: the value is selected, press Ctrl+C to copy it.');
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { say('Copied ' + text); }, selectIt);
    } else selectIt();
  });

  // Printing shows every collapsed group and piece of evidence, then restores what was closed.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = [];
    document.querySelectorAll('details:not([open])').forEach(function (d) { if (!d.classList.contains('review')) { d.open = true; opened.push(d); } });
  });
  window.addEventListener('afterprint', function () { opened.forEach(function (d) { d.open = false; }); opened = []; });

  // Step forms save through the JSON API without a reload; the form still posts normally if the request cannot be made.
  document.querySelectorAll('form.step-form[data-api]').forEach(function (form) {
    var box = form.querySelector('input[type=checkbox][name=done]');
    if (box) box.addEventListener('change', function () { form.requestSubmit(); });
    form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      var data = new FormData(form);
      var token = data.get('_csrf') || '';
      var body = { done: box ? box.checked : undefined, assignee: data.get('assignee') || '', note: data.get('note') || '' };
      var step = form.closest('.step');
      var status = step && step.querySelector('[data-step-status]');
      var error = form.querySelector('[data-step-error]');
      fetch(form.getAttribute('data-api'), {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': String(token), accept: 'application/json' },
        body: JSON.stringify(body),
      }).then(function (res) {
        return res.json().then(function (json) { return { ok: res.ok, json: json }; });
      }).then(function (r) {
        if (!r.ok) {
          if (error) { error.textContent = (r.json && r.json.error && r.json.error.message) || 'The step was not saved.'; error.hidden = false; }
          return;
        }
        if (error) { error.hidden = true; error.textContent = ''; }
        if (status) status.textContent = r.json.status;
        if (step) step.classList.toggle('step-done', !!(r.json.state && r.json.state.done));
        say('Step saved. ' + r.json.status);
      }, function () { form.submit(); });
    });
  });
})();`;

export const SCRIPT = `${UNDEFANG_SOURCE}\n${MAIN_SOURCE}\n`;
