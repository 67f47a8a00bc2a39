// The public pages' only script (careers site, candidate portal, staff sign-in). Those pages are
// HTML forms and links that work without JavaScript (app/src/bundles.rs); this adds what a
// browser with JavaScript can do better, and nothing breaks where it does not run:
// - a form sends once: a second click while the first is on its way does nothing;
// - what was typed is kept when the server sends the form back with errors (it answers a form
//   post by redirecting back to the page, the error in the URL: `__path` names the form's
//   action, `__err` the error); files cannot be kept by a browser, so they are chosen again;
// - the scheduling page shows times in the browser's own time zone on the first visit;
// - `body[data-hydrated]` marks the page as ready, as the hydrated staff pages do.
(() => {
  'use strict';
  const KEPT = 'ats-kept:';
  const url = new URL(location.href);

  // First visit to a scheduling link: the browser's zone, unless one was chosen.
  if (url.pathname.startsWith('/schedule/') && !url.searchParams.get('tz')) {
    let zone = '';
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || '';
    } catch (_) {
      zone = '';
    }
    if (zone) {
      url.searchParams.set('tz', zone);
      location.replace(url.toString());
      return;
    }
  }

  const storage = (() => {
    try {
      return window.sessionStorage;
    } catch (_) {
      return null;
    }
  })();

  // The fields worth keeping: what a person typed or chose, not files, secrets or tokens.
  const keepable = (el) =>
    el.name &&
    !el.disabled &&
    !['file', 'password', 'hidden', 'submit', 'button', 'reset', 'image'].includes(el.type);

  const keep = (form) => {
    if (!storage) return;
    const fields = [];
    for (const el of form.elements) {
      if (!keepable(el)) continue;
      if (el.type === 'checkbox' || el.type === 'radio') fields.push({ n: el.name, v: el.value, c: el.checked });
      else if (el.multiple && el.options) fields.push({ n: el.name, m: [...el.selectedOptions].map((o) => o.value) });
      else fields.push({ n: el.name, v: el.value });
    }
    try {
      storage.setItem(KEPT + formKey(form), JSON.stringify(fields));
    } catch (_) {
      // A full or disabled storage only loses the convenience.
    }
  };

  // A form's key: the path it posts to and, where several forms post there (one per
  // application in the portal), which of them it is.
  const formPath = (form) => new URL(form.getAttribute('action') || '', location.href).pathname;
  const formKey = (form) => {
    const path = formPath(form);
    const same = [...document.forms].filter((f) => formPath(f) === path);
    return `${path}#${same.indexOf(form)}`;
  };

  // A list still showing what the server chose (none chosen: the first, unless it is multiple).
  const untouched = (select) => {
    const options = [...select.options];
    if (select.multiple) return options.every((o) => o.selected === o.defaultSelected);
    const chosen = options.findIndex((o) => o.defaultSelected);
    return select.selectedIndex === (chosen < 0 ? 0 : chosen);
  };

  // Puts the kept values back, only into fields still as the server sent them (what the person
  // changed meanwhile stays).
  const restore = (form, fields) => {
    const seen = new Map();
    for (const f of fields) {
      const all = [...form.elements].filter((el) => el.name === f.n && keepable(el));
      if (f.c !== undefined) {
        const box = all.find((el) => el.value === f.v);
        if (!box || box.checked !== box.defaultChecked) continue;
        // A choice in a group is made again only if it is still offered; none is taken away.
        if (box.type === 'radio') {
          if (f.c && all.every((el) => el.checked === el.defaultChecked)) box.checked = true;
        } else {
          box.checked = f.c;
        }
        continue;
      }
      const i = seen.get(f.n) ?? 0;
      seen.set(f.n, i + 1);
      const el = all[i];
      if (!el) continue;
      if (el.options) {
        if (!untouched(el)) continue;
        if (f.m) for (const o of el.options) o.selected = f.m.includes(o.value);
        else if ([...el.options].some((o) => o.value === f.v)) el.value = f.v;
      } else if (el.value === el.defaultValue) {
        el.value = f.v;
      }
    }
  };

  // The server's answer to a failed post: the page again, the error in the URL (a second failure
  // adds a second pair: the last is the one shown).
  const failed = url.searchParams.getAll('__err').length ? url.searchParams.getAll('__path').pop() : null;
  if (storage) {
    for (let i = storage.length - 1; i >= 0; i--) {
      const key = storage.key(i);
      if (!key || !key.startsWith(KEPT)) continue;
      const form = failed && [...document.forms].find((f) => KEPT + formKey(f) === key && formPath(f) === failed);
      if (form) {
        try {
          restore(form, JSON.parse(storage.getItem(key) || '[]'));
        } catch (_) {
          // An unreadable entry is dropped below.
        }
      }
      storage.removeItem(key);
    }
  }
  // Straight to the first field the server flagged.
  if (failed && document.activeElement === document.body) {
    const invalid = document.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  }
  // The address bar without the last answer's error or "done" (shown now): a reload or the
  // next form's answer does not show them again.
  if (url.searchParams.has('__err') || url.searchParams.has('done')) {
    for (const k of ['__path', '__err', 'done']) url.searchParams.delete(k);
    history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  }

  document.addEventListener('submit', (ev) => {
    const form = ev.target;
    if (!(form instanceof HTMLFormElement) || ev.defaultPrevented) return;
    // A search or filter form (GET) may be sent again at will.
    if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return;
    if (form.hasAttribute('data-sending')) {
      ev.preventDefault();
      return;
    }
    form.setAttribute('data-sending', '');
    form.setAttribute('aria-busy', 'true');
    keep(form);
    // An answer that never comes (the connection dropped, loading was stopped): the form may be
    // sent again after a while.
    setTimeout(() => release(form), 20000);
    const button = ev.submitter;
    if (button && button.dataset.sendingLabel) {
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.sendingLabel;
    }
  });

  const release = (form) => {
    form.removeAttribute('data-sending');
    form.removeAttribute('aria-busy');
    for (const b of form.querySelectorAll('[data-label]')) {
      b.textContent = b.dataset.label;
      delete b.dataset.label;
    }
  };
  // Back to a page from the browser's cache: its forms are not on their way any more.
  window.addEventListener('pageshow', (ev) => {
    if (ev.persisted) for (const form of document.querySelectorAll('form[data-sending]')) release(form);
  });

  document.body.setAttribute('data-hydrated', 'true');
})();
