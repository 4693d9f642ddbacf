// The web console: plain DOM, no framework, no build step. It calls the engine's REST API (API.md) with the
// secret key the user signs in with. Everything the API returns is written with textContent (h() below):
// event data, template output and names are user input, so never HTML.

const SESSION = 'journey.console';
const main = document.getElementById('main');
const statusBox = document.getElementById('status');
let refreshTimer = null;
let notice = null; // what to say on the next page drawn (an action that moved to another page)

// ---- small helpers -------------------------------------------------------------------------------------------

/** An element: h('td', {class: 'n'}, 'text', child…). on* attributes become listeners; strings become text nodes. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'for') el.htmlFor = v;
    else if (k === 'value') el.value = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Replaces an element's content; null and false children are left out (the DOM's own would print "null"). */
function fill(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter(c => c !== null && c !== undefined && c !== false)
    .map(c => c instanceof Node ? c : document.createTextNode(String(c))));
}

/** A labelled form control: the label's for= ties it to the input (accessible name). */
function field(label, control, hint) {
  const id = control.id || (control.id = 'f-' + Math.random().toString(36).slice(2, 9));
  const hintEl = hint ? h('span', {class: 'hint', id: id + '-hint'}, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', {class: 'field'}, h('label', {for: id}, label), control, hintEl);
}

function time(iso) {
  return iso ? String(iso).replace('T', ' ').replace(/\.\d+/, '').replace('Z', ' UTC') : '—';
}

function json(value) {
  return value === undefined ? '' : JSON.stringify(value);
}

let sayTimer = null;
function say(text, kind = 'info') {
  statusBox.textContent = text;
  statusBox.dataset.kind = kind;
  clearTimeout(sayTimer);
  // Confirmations fade after a while (they were announced); errors stay until the next action.
  if (kind === 'info' && text) sayTimer = setTimeout(() => { statusBox.textContent = ''; }, 8000);
}

function table(caption, headers, rows, empty) {
  if (!rows.length) return h('p', {class: 'empty'}, empty);
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map(t => h('th', {scope: 'col'}, t)))),
    h('tbody', {}, rows));
}

function page(title, ...content) {
  clearInterval(refreshTimer);
  const heading = h('h1', {tabindex: '-1'}, title);
  fill(main, heading, ...content.flat());
  document.title = title + ' · Journey console';
  heading.focus(); // a route change moves the keyboard (and screen reader) to the new page's title
  say(notice ? notice.text : '', notice ? notice.kind : 'info');
  notice = null;
  return heading;
}

// ---- the API -------------------------------------------------------------------------------------------------

function session() {
  try { return JSON.parse(sessionStorage.getItem(SESSION)); } catch { return null; }
}

class ApiFailure extends Error {
  constructor(status, body) {
    super(body && body.message ? body.message : 'HTTP ' + status);
    this.status = status;
    this.details = (body && body.details) || [];
  }
}

/** A call to /v1/projects/{projectId}{path}; the answer's JSON, or an ApiFailure carrying the API's error. */
async function api(path, {method = 'GET', body, signIn} = {}) {
  const s = signIn || session();
  const res = await fetch('/v1/projects/' + encodeURIComponent(s.projectId) + path, {
    method,
    headers: {'Authorization': 'Bearer ' + s.key, ...(body === undefined ? {} : {'Content-Type': 'application/json'})},
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: 'no-store',
  });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && !signIn) signOut('The key is no longer accepted: sign in again.');
    throw new ApiFailure(res.status, data);
  }
  return data;
}

function q(params) {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) p.set(k, v);
  const s = p.toString();
  return s ? '?' + s : '';
}

function failure(e) {
  const details = (e.details || []).map(d => (d.path ? d.path + ': ' : '') + d.message);
  say([e.message, ...details].join(' — '), 'error');
}

// ---- sign in -------------------------------------------------------------------------------------------------

function signInPage() {
  document.getElementById('nav').hidden = true;
  document.getElementById('who').hidden = true;
  document.getElementById('sign-out').hidden = true;
  const project = h('input', {id: 'project', name: 'project', required: true, autocomplete: 'username', spellcheck: 'false'});
  const key = h('input', {id: 'key', name: 'key', type: 'password', required: true, autocomplete: 'current-password'});
  const problem = h('p', {id: 'sign-in-error', class: 'form-error', role: 'alert'}); // said where the eyes are, and read out
  const form = h('form', {class: 'card narrow', onsubmit: async (ev) => {
    ev.preventDefault();
    const candidate = {projectId: project.value.trim(), key: key.value.trim()};
    try {
      await api('/journeys?limit=1', {signIn: candidate}); // any secret-key call: proves the key and the project
      sessionStorage.setItem(SESSION, JSON.stringify(candidate));
      notice = {text: 'Signed in to ' + candidate.projectId + '.', kind: 'info'};
      if (location.hash === '#/journeys') route(); else location.hash = '#/journeys'; // hashchange routes
    } catch (e) {
      problem.textContent = e.status === 401 ? 'That key is not valid.' : e.status === 403 || e.status === 404
        ? 'That key cannot read this project: use a secret key (jk_…) of project ' + candidate.projectId + '.' : e.message;
      key.setAttribute('aria-invalid', 'true');
      key.setAttribute('aria-describedby', problem.id);
      key.focus();
    }
  }},
    h('p', {}, 'Sign in with your project id and one of its secret keys (jk_…). The key stays in this tab only.'),
    field('Project id', project),
    field('Secret key', key),
    problem,
    h('button', {type: 'submit', id: 'sign-in'}, 'Sign in'));
  page('Sign in', form);
  project.focus();
}

function signOut(message) {
  sessionStorage.removeItem(SESSION);
  notice = message ? {text: message, kind: 'error'} : {text: 'Signed out.', kind: 'info'};
  if (location.hash === '#/') route(); else location.hash = '#/'; // hashchange routes
}

// ---- journeys ------------------------------------------------------------------------------------------------

const EXAMPLE_JOURNEY = {
  name: 'Post-purchase',
  trigger: {event: 'purchase'},
  reentry: {mode: 'always'},
  steps: [
    {id: 'pause', type: 'wait', duration: 'P3D', next: 'thanks'},
    {id: 'thanks', type: 'message', channel: 'webhook', template: {body: 'Thanks for buying {{ entry_event.data.productName }}'}, next: null},
  ],
};

async function journeysPage() {
  const definition = h('textarea', {id: 'definition', rows: 14, spellcheck: 'false', class: 'code'});
  definition.value = JSON.stringify(EXAMPLE_JOURNEY, null, 2);
  const create = h('details', {class: 'card'},
    h('summary', {}, 'New journey'),
    h('form', {onsubmit: async (ev) => {
      ev.preventDefault();
      let body;
      try { body = JSON.parse(definition.value); } catch (e) { say('The definition is not JSON: ' + e.message, 'error'); return; }
      try {
        const created = await api('/journeys', {method: 'POST', body});
        notice = {text: 'Draft "' + created.name + '" created. Publish it to let users in.', kind: 'info'};
        location.hash = '#/journeys/' + encodeURIComponent(created.id);
      } catch (e) { failure(e); }
    }},
      field('Definition (JSON, src/docs/journeys.md)', definition, 'Saved as a draft; publish it from its page.'),
      h('button', {type: 'submit'}, 'Create draft')));
  const list = h('div', {}, h('p', {}, 'Loading…'));
  page('Journeys', create, list);
  const journeys = await api('/journeys');
  const stats = await Promise.all(journeys.map(j => api('/journeys/' + encodeURIComponent(j.id) + '/stats').catch(() => ({}))));
  fill(list, table('Journeys of this project', ['Journey', 'Status', 'Version', 'Entered', 'Active', 'Completed', 'Converted', 'Exited', 'Updated'],
    journeys.map((j, i) => h('tr', {},
      h('th', {scope: 'row'}, h('a', {href: '#/journeys/' + encodeURIComponent(j.id)}, j.name)),
      h('td', {}, h('span', {class: 'badge ' + j.status}, j.status)),
      h('td', {class: 'n'}, j.publishedVersion ?? '—'),
      ...['entered', 'active', 'completed', 'converted', 'exited'].map(k => h('td', {class: 'n'}, stats[i][k] ?? '—')),
      h('td', {}, time(j.updatedAt)))),
    'No journeys yet: create one above.'));
}

async function journeyPage(id) {
  const path = '/journeys/' + encodeURIComponent(id);
  // The page is drawn before the first answer, so a slow answer never paints over a page opened meanwhile.
  const heading = page('Journey');
  let journey = await api(path);
  if (!heading.isConnected) return; // another page was opened while this one loaded
  const actions = h('div', {class: 'actions'});
  const overview = h('section', {'aria-labelledby': 'overview-h'});
  const funnel = h('section', {'aria-labelledby': 'funnel-h'});
  const userFilter = h('input', {id: 'instance-user', type: 'search', spellcheck: 'false'});
  const instances = h('div', {});
  const definition = h('textarea', {id: 'journey-definition', rows: 16, spellcheck: 'false', class: 'code'});
  definition.value = JSON.stringify(journey.definition, null, 2);
  const dryRun = dryRunSection(path, () => journey);
  main.append(actions, overview, funnel, dryRun,
    h('section', {'aria-labelledby': 'instances-h'},
      h('h2', {id: 'instances-h'}, 'Instances'),
      h('form', {class: 'inline', onsubmit: (ev) => { ev.preventDefault(); refresh(); }},
        field('User id', userFilter), h('button', {type: 'submit'}, 'Filter')),
      instances),
    h('section', {'aria-labelledby': 'definition-h'},
      h('h2', {id: 'definition-h'}, 'Definition'),
      h('form', {onsubmit: async (ev) => {
        ev.preventDefault();
        try {
          journey = await api(path, {method: 'PUT', body: JSON.parse(definition.value)});
          say('Draft saved. Publish to make it the running version.');
          drawActions();
        } catch (e) { e instanceof SyntaxError ? say('The definition is not JSON: ' + e.message, 'error') : failure(e); }
      }},
        field('Draft definition (JSON)', definition, 'Saving replaces the draft; the published version keeps running until you publish.'),
        h('button', {type: 'submit'}, 'Save draft'))));

  function drawActions() {
    heading.textContent = journey.name;
    document.title = journey.name + ' · Journey console';
    const act = (label, verb) => h('button', {type: 'button', onclick: async () => {
      try {
        journey = await api(path + '/' + verb, {method: 'POST'});
        say(journey.name + ' is ' + journey.status + (journey.publishedVersion ? ' (version ' + journey.publishedVersion + ')' : '') + '.');
        drawActions();
        refresh();
      } catch (e) { failure(e); }
    }}, label);
    fill(actions, 
      h('span', {class: 'badge ' + journey.status, id: 'journey-status'}, journey.status),
      h('span', {class: 'muted'}, journey.publishedVersion ? 'version ' + journey.publishedVersion : 'never published'),
      h('span', {class: 'muted'}, 'trigger: ' + (journey.definition.trigger?.event ?? json(journey.definition.trigger))),
      journey.status === 'archived' ? null : act(journey.publishedVersion ? 'Publish the draft as a new version' : 'Publish', 'publish'),
      journey.status === 'published' ? act('Pause', 'pause') : null,
      journey.status === 'paused' ? act('Resume', 'resume') : null,
      h('a', {href: '#/messages?journeyId=' + encodeURIComponent(id)}, 'Messages'),
      h('button', {type: 'button', class: 'quiet', onclick: refresh}, 'Refresh'));
  }

  async function refresh() {
    try {
      const [stats, list] = await Promise.all([api(path + '/stats'),
        api(path + '/instances' + q({userId: userFilter.value.trim(), limit: 50}))]);
      drawOverview(stats);
      drawFunnel(stats);
      fill(instances, table('Latest instances, newest first',
        ['Instance', 'User', 'Version', 'Status', 'At step', 'End reason', 'Entered', 'Ended'],
        list.instances.map(i => instanceRow(i, id)), 'No instances' + (userFilter.value ? ' for this user.' : ' yet.')));
    } catch (e) { failure(e); }
  }

  function drawOverview(stats) {
    const card = (label, key) => h('div', {class: 'stat', 'data-stat': key}, h('span', {class: 'num'}, stats[key] ?? 0), h('span', {}, label));
    const reasons = (label, counts) => Object.keys(counts || {}).length
      ? h('p', {class: 'muted'}, label + ': ' + Object.entries(counts).map(([k, v]) => k + ' ' + v).join(', ')) : null;
    fill(overview, h('h2', {id: 'overview-h'}, 'Totals'),
      h('div', {class: 'stats'}, card('entered', 'entered'), card('active', 'active'), card('completed', 'completed'),
        card('converted', 'converted'), card('exited', 'exited')),
      reasons('Exited by', stats.exitedBy), reasons('Converted on', stats.convertedBy));
  }

  // The funnel: entries, then each step in definition order with the instances at it now and, for message steps,
  // the messages it handed off by status. The bar is that step's count against the entries.
  function drawFunnel(stats) {
    const entered = stats.entered || 0;
    const bar = (n) => h('span', {class: 'bar', 'aria-hidden': 'true'},
      h('span', {style: null, class: 'fill', 'data-w': entered ? Math.min(100, Math.round(100 * n / entered)) : 0}));
    const rows = [h('tr', {'data-step': ''},
      h('th', {scope: 'row'}, 'Entered'), h('td', {}, 'trigger'), h('td', {class: 'n'}, entered), h('td', {}, '—'), h('td', {}, bar(entered)))];
    for (const step of journey.definition.steps || []) {
      const sent = (stats.messages || {})[step.id] || {};
      const handedOff = Object.values(sent).reduce((a, b) => a + b, 0);
      const here = (stats.activeAt || {})[step.id] || 0;
      rows.push(h('tr', {'data-step': step.id},
        h('th', {scope: 'row'}, step.id),
        h('td', {}, step.type + (step.channel ? ' · ' + step.channel : '')),
        h('td', {class: 'n', 'data-count': 'here'}, here),
        h('td', {'data-count': 'messages'}, step.type === 'message'
          ? (Object.entries(sent).map(([k, v]) => k + ' ' + v).join(', ') || 'none yet') : '—'),
        h('td', {}, bar(step.type === 'message' ? handedOff : here))));
    }
    fill(funnel, h('h2', {id: 'funnel-h'}, 'Steps'),
      table('Each step: instances waiting there now, and messages by status', ['Step', 'Type', 'Here now', 'Messages', 'Against entries'], rows, ''));
    // Widths are set from script, not a style attribute: the Content-Security-Policy allows no inline styles.
    funnel.querySelectorAll('.fill').forEach(f => { f.style.width = f.dataset.w + '%'; });
  }

  drawActions();
  await refresh();
  // While the page is open its numbers follow the engine (instances move on their own: waits end, messages go).
  if (heading.isConnected) refreshTimer = setInterval(() => { if (!document.hidden) refresh(); }, 3000);
}

// ---- a journey's dry run -------------------------------------------------------------------------------------

/**
 * The draft replayed over the stored events of a period (POST …/dry-run): the predicted funnel, messages, samples
 * and template errors. A run that outlasts the POST's wait answers 202; its progress is followed until it is done.
 */
function dryRunSection(path, current) {
  const since = h('input', {id: 'dry-run-since', value: 'P7D', spellcheck: 'false', size: 24});
  const result = h('div', {id: 'dry-run-result', 'aria-live': 'polite'});
  const run = h('button', {type: 'submit'}, 'Dry run the draft');
  const section = h('section', {'aria-labelledby': 'dry-run-h'},
    h('h2', {id: 'dry-run-h'}, 'Dry run'),
    h('form', {class: 'inline', onsubmit: async (ev) => {
      ev.preventDefault();
      run.disabled = true;
      fill(result, h('p', {class: 'muted'}, 'Running…'));
      try {
        let answer = await api(path + '/dry-run', {method: 'POST', body: {since: since.value.trim()}});
        while (answer.status === 'running') {
          fill(result, h('p', {class: 'muted'}, 'Running… ' + answer.progress.eventsRead + ' events read, '
            + answer.progress.entries + ' entries so far'));
          await new Promise(r => setTimeout(r, 1000));
          if (!section.isConnected) return;
          answer = await api(path + '/dry-runs/' + encodeURIComponent(answer.id));
        }
        if (answer.status === 'failed') throw new Error(answer.error);
        drawDryRun(result, answer.result || answer, current());
      } catch (e) { fill(result); failure(e); } finally { run.disabled = false; }
    }},
      field('Since', since, 'A duration back from now (P7D) or a time (2024-04-19T00:00:00Z). Nothing is sent or written.'), run),
    result);
  return section;
}

function drawDryRun(el, r, journey) {
  const counts = (o) => Object.entries(o || {}).map(([k, v]) => k + ' ' + v).join(', ') || '—';
  const detail = (c) => [
    c.cases ? 'cases ' + c.cases.join(', ') + ', else ' + c.else : null,
    c.arms ? 'arms: ' + counts(c.arms) : null,
    c.endedByEvent !== undefined ? 'by event ' + c.endedByEvent + ', by timeout ' + c.endedByTimeout : null,
    c.ended !== undefined ? 'ended ' + c.ended : null,
    c.waiting !== undefined ? 'still waiting ' + c.waiting : null].filter(Boolean).join('; ') || '—';
  const steps = (journey.definition.steps || []).filter(s => r.steps[s.id]).map(s => h('tr', {'data-dry-step': s.id},
    h('th', {scope: 'row'}, s.id), h('td', {}, s.type + (s.channel ? ' · ' + s.channel : '')),
    h('td', {class: 'n', 'data-count': 'reached'}, r.steps[s.id].reached), h('td', {}, detail(r.steps[s.id]))));
  fill(el,
    h('p', {id: 'dry-run-summary'}, r.eventsRead + ' events read · ' + r.entries + ' entries · not entered: ' + counts(r.notEntered)
      + ' · ended: ' + counts(r.ended) + (r.truncated ? ' · truncated (' + r.truncatedBy + ') at ' + time(r.readUntil) : '')),
    h('p', {id: 'dry-run-messages'}, 'Messages: ' + counts(r.messages.byChannel) + ' · capped ' + r.messages.capped
      + ' · suppressed ' + r.messages.suppressed + ' · held ' + r.messages.held + ' · failed ' + r.messages.failed),
    table('Predicted funnel: instances that would have reached each step', ['Step', 'Type', 'Reached', 'Details'], steps, ''),
    table('Template errors and the users they would hit', ['Step', 'Field', 'Error', 'Users', 'Messages'],
      r.templateErrors.map(e => h('tr', {'data-template-error': e.stepId},
        h('th', {scope: 'row'}, e.stepId), h('td', {}, e.field), h('td', {}, e.message),
        h('td', {}, e.users.join(', ')), h('td', {class: 'n'}, e.count))), 'No template errors.'),
    table('Sample messages', ['User', 'Step', 'Channel', 'Rendered'],
      r.samples.map(m => h('tr', {'data-sample': m.userId},
        h('th', {scope: 'row'}, m.userId), h('td', {}, m.stepId), h('td', {}, m.channel),
        h('td', {}, Object.entries(m.rendered).map(([k, v]) => h('div', {}, h('span', {class: 'muted'}, k + ': '), v))))),
      'No messages would have been sent.'));
}

function instanceRow(i, journeyId) {
  return h('tr', {'data-instance': i.id},
    h('th', {scope: 'row', class: 'mono'},
      h('a', {href: '#/journeys/' + encodeURIComponent(journeyId) + '/instances/' + encodeURIComponent(i.id),
        'aria-label': 'Path of ' + i.id}, i.id)),
    h('td', {}, h('a', {href: '#/events?userId=' + encodeURIComponent(i.subjectId)}, i.subjectId)),
    h('td', {class: 'n'}, i.journeyVersion),
    h('td', {}, h('span', {class: 'badge ' + i.status}, i.status)),
    h('td', {}, i.currentStep ?? '—'),
    h('td', {}, i.endReason ?? '—'),
    h('td', {}, time(i.enteredAt)),
    h('td', {}, time(i.endedAt)));
}

// ---- an instance's path ("why") -------------------------------------------------------------------------------

async function instancePage(journeyId, instanceId) {
  const heading = page('Instance');
  const path = await api('/journeys/' + encodeURIComponent(journeyId) + '/instances/' + encodeURIComponent(instanceId) + '/path');
  if (!heading.isConnected) return;
  const i = path.instance;
  heading.textContent = 'Path of ' + i.subjectId;
  document.title = 'Path of ' + i.subjectId + ' · Journey console';
  const end = path.end;
  // append() would print a null child as "null": only what is there goes in.
  main.append(...[
    h('p', {class: 'actions'},
      h('span', {class: 'badge ' + i.status, id: 'instance-status'}, i.status),
      h('a', {href: '#/journeys/' + encodeURIComponent(journeyId)}, 'Journey'),
      h('a', {href: '#/events?userId=' + encodeURIComponent(i.subjectId)}, 'Events of ' + i.subjectId),
      h('span', {class: 'muted'}, 'version ' + i.journeyVersion + ' · entered ' + time(i.enteredAt) + ' on event ' + i.entryEventId)),
    h('p', {class: 'mono muted'}, i.id),
    path.truncated ? h('p', {class: 'muted'}, 'Only the latest 200 steps are kept; older ones went.') : null,
    h('section', {'aria-labelledby': 'path-h'},
      h('h2', {id: 'path-h'}, 'Steps it reached'),
      table('Each step in order: when it was reached and left, and what decided the way on',
        ['#', 'Step', 'Type', 'Reached', 'Left', 'Why', 'Next'],
        path.steps.map(step => h('tr', {'data-path-step': step.stepId},
          h('td', {class: 'n'}, step.seq),
          h('th', {scope: 'row'}, step.stepId),
          h('td', {}, step.type),
          h('td', {}, time(step.reachedAt)),
          h('td', {}, step.leftAt ? time(step.leftAt) : 'here now'),
          h('td', {class: 'why'}, why(step)),
          h('td', {}, step.leftAt ? (step.next ?? 'end') : '—'))),
        'No steps recorded (the instance began before paths were kept).')),
    h('section', {'aria-labelledby': 'end-h'},
      h('h2', {id: 'end-h'}, 'End'),
      end ? h('p', {id: 'instance-end'}, end.status + (end.reason ? ' — ' + end.reason : '') + (end.eventId ? ' (event ' + end.eventId + ')' : '')
        + ' at ' + time(end.at)) : h('p', {id: 'instance-end'}, 'Still running.'))].filter(Boolean));
}

/** What decided a step, in words: the rule of each step type is in src/docs/journeys.md ("Why"). */
function why(step) {
  const ended = () => step.endedBy === 'timer' ? 'the timer ran out (' + time(step.until) + ')'
    : step.endedBy === 'event' ? 'event ' + step.eventId + ' came'
    : step.endedBy === 'timeout' ? 'no event before ' + time(step.deadline)
    : step.endedBy ? 'the instance ended: ' + step.endedBy + (step.eventId ? ' event ' + step.eventId : '') : null;
  switch (step.type) {
    case 'message': {
      const m = step.message || {};
      return [step.channel + ' · ' + (m.status ?? 'not recorded yet') + (m.error ? ' — ' + m.error : '') + ' ',
        h('span', {class: 'mono muted'}, step.messageId)];
    }
    case 'wait':
      return step.leftAt ? ended() : 'waiting until ' + time(step.wakeAt);
    case 'waitForEvent':
      return step.leftAt ? ended() : 'waiting for the event until ' + time(step.wakeAt);
    case 'split':
      return 'arm ' + step.arm + ' (' + step.percent + '%)';
    case 'branch':
      return [step.case === 'otherwise' ? 'no case held: otherwise' : 'case ' + step.case + ' held',
        h('ul', {class: 'checks'}, (step.checks || []).map(c => h('li', {class: c.result ? 'held' : 'failed'},
          h('span', {class: 'mono'}, c.at), ': ', c.field, ' ', c.op, c.expected === undefined ? '' : ' ' + json(c.expected),
          ' — found ', json(c.actual ?? null), c.negated ? ' (under not)' : '', ' → ', c.result ? 'true' : 'false')))];
    case 'updateTags':
      return 'set ' + (step.tags || []).join(', ');
    case 'fetch':
      if (!step.leftAt) return 'fetching';
      return (step.ok ? 'answered' : 'failed' + (step.error ? ' — ' + step.error : ''))
        + (step.status ? ' (HTTP ' + step.status + ')' : '') + (step.attempts > 1 ? ' after ' + step.attempts + ' attempts' : '');
    default:
      return step.leftAt ? '' : 'here now';
  }
}

// ---- templates -----------------------------------------------------------------------------------------------

const EXAMPLE_CONTEXT = {
  entry_event: {type: 'purchase', data: {productName: 'Blue mug', amount: 1250}},
  user: {id: 'ann', tags: {name: 'Ann', tier: 'gold'}},
};

async function templatesPage() {
  const heading = page('Templates', h('p', {}, 'Loading…'));
  const stored = await api('/templates');
  if (!heading.isConnected) return;
  let current = null; // the stored template being edited, or null for a new one
  const picker = h('select', {id: 'template-pick'}, h('option', {value: ''}, 'New template'),
    stored.map(t => h('option', {value: t.id}, t.name)));
  const name = h('input', {id: 'template-name', spellcheck: 'false'});
  const editors = h('div', {class: 'editors'});
  const context = h('textarea', {id: 'template-context', rows: 8, spellcheck: 'false', class: 'code'});
  context.value = JSON.stringify(EXAMPLE_CONTEXT, null, 2);
  const problems = h('div', {id: 'template-problems', 'aria-live': 'polite'});
  const preview = h('div', {id: 'preview', class: 'preview', 'aria-live': 'polite'});
  const fields = {}; // field name → {area, gutter}
  let timer = null;

  function editor(fieldName, source) {
    const area = h('textarea', {id: 'tpl-' + fieldName, rows: fieldName === 'body' ? 8 : 2, spellcheck: 'false', wrap: 'off',
      class: 'code', 'data-field': fieldName, oninput: schedule, onscroll: () => { gutter.scrollTop = area.scrollTop; }});
    area.value = source;
    const gutter = h('div', {class: 'gutter', 'aria-hidden': 'true'});
    fields[fieldName] = {area, gutter};
    numberLines(fieldName, []);
    return h('div', {class: 'field'}, h('label', {for: area.id}, 'Field "' + fieldName + '"'),
      h('div', {class: 'lined'}, gutter, area));
  }

  /** Line numbers beside a field, the lines with errors marked (and described in the list below). */
  function numberLines(fieldName, badLines) {
    const {area, gutter} = fields[fieldName];
    const count = area.value.split('\n').length;
    fill(gutter, ...Array.from({length: count}, (_, i) =>
      h('div', {class: badLines.includes(i + 1) ? 'bad' : null, 'data-line': i + 1}, i + 1)));
    gutter.scrollTop = area.scrollTop;
  }

  function load(t) {
    current = t;
    name.value = t ? t.name : 'Thanks';
    const source = t ? t.fields : {title: 'Thanks, {{ user.tags.name }}!', body: 'Enjoy your {{ entry_event.data.productName }}.'};
    for (const k of Object.keys(fields)) delete fields[k];
    fill(editors, ...Object.entries(source).map(([k, v]) => editor(k, v)));
    render();
  }

  function schedule() {
    clearTimeout(timer);
    for (const k of Object.keys(fields)) numberLines(k, []);
    timer = setTimeout(render, 300); // live, but one request per pause in typing
  }

  function template() {
    return Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, f.area.value]));
  }

  function showProblems(errors, warnings) {
    for (const [k, f] of Object.entries(fields)) {
      const lines = errors.filter(e => e.field === k && e.line).map(e => e.line);
      numberLines(k, lines);
      f.area.setAttribute('aria-invalid', lines.length || errors.some(e => e.field === k) ? 'true' : 'false');
    }
    const item = (e, kind) => h('li', {class: kind},
      fields[e.field] && e.line
        ? h('button', {type: 'button', class: 'link', onclick: () => goToLine(e.field, e.line, e.column)},
          e.field + ', line ' + e.line + (e.column ? ', column ' + e.column : ''))
        : h('strong', {}, e.field || 'template'),
      ': ' + e.message);
    fill(problems, 
      errors.length ? h('div', {class: 'errors'}, h('h3', {}, errors.length === 1 ? '1 error' : errors.length + ' errors'),
        h('ul', {}, errors.map(e => item(e, 'error')))) : null,
      warnings.length ? h('div', {class: 'warnings'}, h('h3', {}, 'Warnings'), h('ul', {}, warnings.map(w => item(w, 'warning')))) : null);
  }

  function goToLine(fieldName, line, column) {
    const area = fields[fieldName].area;
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + Math.max(0, (column || 1) - 1);
    area.focus();
    area.setSelectionRange(start, start);
  }

  async function render() {
    let ctx;
    try { ctx = JSON.parse(context.value || '{}'); } catch (e) {
      showProblems([{field: 'context', message: 'not JSON: ' + e.message}], []);
      return;
    }
    try {
      const r = await api('/templates/preview', {method: 'POST', body: {template: template(), context: ctx}});
      showProblems(r.errors, r.warnings);
      fill(preview, ...Object.entries(r.rendered || {}).map(([k, v]) =>
        h('div', {class: 'rendered', 'data-field': k}, h('h3', {}, k), h('pre', {}, v))));
      if (r.errors.length) preview.prepend(h('p', {class: 'muted'}, 'Fix the errors to see this field rendered.'));
    } catch (e) {
      showProblems(e.details.map(d => ({field: d.path, line: d.line, column: d.column, message: d.message})), []);
      failure(e);
    }
  }

  async function save() {
    const body = {name: name.value.trim(), fields: template()};
    if (current) {
      // Keep what this editor does not show (translations) as it is.
      if (current.translations) body.translations = current.translations;
      if (current.defaultLocale) body.defaultLocale = current.defaultLocale;
    }
    try {
      const saved = current ? await api('/templates/' + encodeURIComponent(current.id), {method: 'PUT', body})
        : await api('/templates', {method: 'POST', body});
      if (!current) picker.append(h('option', {value: saved.id}, saved.name));
      current = saved;
      picker.value = saved.id;
      say('Saved "' + saved.name + '" as version ' + saved.version + '.');
    } catch (e) {
      // A template that does not parse is a 422 naming each field with its line.
      showProblems(e.details.filter(d => d.line).map(d => ({field: String(d.path).replace(/^fields\./, ''), line: d.line,
        column: d.column, message: d.message})), []);
      failure(e);
    }
  }

  picker.addEventListener('change', async () => {
    try { load(picker.value ? await api('/templates/' + encodeURIComponent(picker.value)) : null); } catch (e) { failure(e); }
  });
  context.addEventListener('input', schedule);

  fill(main, heading,
    h('div', {class: 'split'},
      h('form', {class: 'card', 'aria-label': 'Template', onsubmit: (ev) => { ev.preventDefault(); save(); }},
        h('div', {class: 'inline'}, field('Stored template', picker), field('Name', name)),
        editors,
        problems,
        field('Context (JSON): the variables of the preview', context, 'entry_event, user, journey, message — as in a real send.'),
        h('button', {type: 'submit'}, 'Save template')),
      h('section', {class: 'card', 'aria-labelledby': 'preview-h'}, h('h2', {id: 'preview-h'}, 'Preview'), preview)));
  load(null);
}

// ---- events, catalog, messages -------------------------------------------------------------------------------

async function eventsPage(params) {
  const user = h('input', {id: 'events-user', name: 'userId', type: 'search', spellcheck: 'false', value: params.get('userId') || ''});
  const type = h('input', {id: 'events-type', name: 'type', type: 'search', spellcheck: 'false', value: params.get('type') || ''});
  const list = h('div', {});
  page('Events',
    h('form', {class: 'inline', onsubmit: (ev) => {
      ev.preventDefault();
      location.hash = '#/events' + q({userId: user.value.trim(), type: type.value.trim()});
    }}, field('User id', user), field('Type', type), h('button', {type: 'submit'}, 'Show')),
    list);
  const r = await api('/events' + q({userId: params.get('userId'), type: params.get('type'), limit: 100}));
  fill(list, table('Recent events' + (params.get('userId') ? ' of ' + params.get('userId') : '') + ', newest first',
    ['Time', 'Type', 'Subject', 'Data', 'Event id'],
    r.events.map(e => h('tr', {'data-type': e.type},
      h('td', {}, time(e.timestamp)),
      h('th', {scope: 'row'}, e.type),
      h('td', {}, e.subjectType + ' ' + e.subjectId),
      h('td', {class: 'mono data'}, json(e.data)),
      h('td', {class: 'mono'}, e.eventId ?? e.id))),
    'No events' + (params.get('userId') ? ' for this user.' : ' yet.')));
}

async function catalogPage() {
  const list = h('div', {});
  page('Event catalog', h('p', {class: 'muted'}, 'Every event type the project has received, with the types of its properties.'), list);
  const types = await api('/event-types');
  fill(list, table('Event types', ['Event', 'Source', 'Count', 'Properties', 'First seen', 'Last seen'],
    types.map(t => h('tr', {'data-type': t.name},
      h('th', {scope: 'row'}, h('a', {href: '#/events' + q({type: t.name})}, t.name)),
      h('td', {}, t.source),
      h('td', {class: 'n'}, t.count),
      h('td', {}, Object.keys(t.properties || {}).length
        ? h('ul', {class: 'props'}, Object.entries(t.properties).map(([k, v]) => h('li', {}, h('code', {}, k), ' ', h('span', {class: 'type'}, v))))
        : '—'),
      h('td', {}, time(t.firstSeenAt)),
      h('td', {}, time(t.lastSeenAt)))),
    'No event types yet: they appear a few seconds after their first event.'));
}

async function messagesPage(params) {
  const user = h('input', {id: 'messages-user', type: 'search', spellcheck: 'false', value: params.get('userId') || ''});
  const journey = h('input', {id: 'messages-journey', type: 'search', spellcheck: 'false', value: params.get('journeyId') || ''});
  const status = h('select', {id: 'messages-status'}, ['', 'queued', 'sent', 'failed', 'clicked'].map(s =>
    h('option', {value: s, selected: s === (params.get('status') || '')}, s || 'any')));
  const list = h('div', {});
  page('Message log',
    h('form', {class: 'inline', onsubmit: (ev) => {
      ev.preventDefault();
      location.hash = '#/messages' + q({userId: user.value.trim(), journeyId: journey.value.trim(), status: status.value});
    }}, field('User id', user), field('Journey id', journey), field('Status', status), h('button', {type: 'submit'}, 'Show')),
    list);
  const r = await api('/messages' + q({userId: params.get('userId'), journeyId: params.get('journeyId'), status: params.get('status'), limit: 100}));
  fill(list, table('Messages, newest first', ['Created', 'User', 'Journey · step', 'Channel', 'Status', 'Attempts', 'Content', 'Error'],
    r.messages.map(m => h('tr', {'data-message': m.id},
      h('th', {scope: 'row'}, time(m.createdAt)),
      h('td', {}, m.subjectId),
      h('td', {}, h('a', {href: '#/journeys/' + encodeURIComponent(m.journeyId)}, m.journeyId), ' · ' + m.stepId),
      h('td', {}, m.channel),
      h('td', {}, h('span', {class: 'badge ' + m.status}, m.status)),
      h('td', {class: 'n'}, m.attempts),
      h('td', {}, m.content ? h('dl', {class: 'content'}, Object.entries(m.content).map(([k, v]) =>
        [h('dt', {}, k), h('dd', {}, typeof v === 'string' ? v : json(v))])) : '—'),
      h('td', {}, m.error ?? '')))
    , 'No messages' + (params.toString() ? ' match.' : ' yet.')));
}

// ---- routing -------------------------------------------------------------------------------------------------

async function route() {
  const s = session();
  if (!s) { signInPage(); return; }
  document.getElementById('nav').hidden = false;
  const who = document.getElementById('who');
  who.hidden = false;
  who.textContent = 'Project ' + s.projectId;
  document.getElementById('sign-out').hidden = false;
  const [path, query] = (location.hash.slice(1) || '/journeys').split('?');
  const params = new URLSearchParams(query || '');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  for (const a of document.querySelectorAll('#nav a')) {
    const current = a.getAttribute('href') === '#/' + (parts[0] || 'journeys');
    current ? a.setAttribute('aria-current', 'page') : a.removeAttribute('aria-current');
  }
  try {
    switch (parts[0] || 'journeys') {
      case 'journeys': await (parts[2] === 'instances' && parts[3] ? instancePage(parts[1], parts[3])
        : parts[1] ? journeyPage(parts[1]) : journeysPage()); break;
      case 'templates': await templatesPage(); break;
      case 'events': await eventsPage(params); break;
      case 'catalog': await catalogPage(); break;
      case 'messages': await messagesPage(params); break;
      default: page('Not found', h('p', {}, 'There is no such page: ', h('a', {href: '#/journeys'}, 'see the journeys'), '.'));
    }
  } catch (e) {
    if (session()) failure(e);
  }
}

document.getElementById('sign-out').addEventListener('click', () => signOut());
window.addEventListener('hashchange', route);
route();
