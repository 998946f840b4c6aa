'use strict';
// The SkGroq chat page: plain DOM, answers rendered as text (never as HTML), streamed over server-sent events.
const $ = id => document.getElementById(id);
let current = null;
let controller = null;
let templates = [];

async function api(path, options = {}) {
  const response = await fetch(path, { headers: { 'Content-Type': 'application/json' }, ...options });
  if (!response.ok && response.status !== 204) {
    const body = await response.json().catch(() => ({ message: response.statusText }));
    throw new Error(body.message || response.statusText);
  }
  return response.status === 204 ? null : response;
}

function follow() {
  // Keep the newest text in sight by scrolling the message list only; the page itself (and its buttons) never moves.
  const list = $('messages');
  list.scrollTop = list.scrollHeight;
}

function add(role, text, cls) {
  const div = document.createElement('div');
  div.className = `message ${role}${cls ? ' ' + cls : ''}`;
  div.textContent = text;
  $('messages').appendChild(div);
  follow();
  return div;
}

function sources(citations) {
  // Each citation is a link-like button that shows the cited passage (as text) under it.
  const box = document.createElement('div');
  box.className = 'sources';
  for (const c of citations) {
    const row = document.createElement('div');
    if (!c.valid) {
      row.className = 'error';
      row.textContent = `[${c.label}] cites a passage the model was not given`;
    } else {
      const link = document.createElement('button');
      link.type = 'button';
      link.title = c.link;
      link.textContent = `[${c.label}] ${c.source} › ${c.heading} (lines ${c.lines})`;
      const passage = document.createElement('div');
      passage.className = 'passage';
      passage.hidden = true;
      passage.textContent = c.passage;
      link.onclick = () => { passage.hidden = !passage.hidden; };
      row.append(link, passage);
    }
    box.appendChild(row);
  }
  $('messages').appendChild(box);
}

function note(text, cls = 'usage') {
  const div = document.createElement('div');
  div.className = cls;
  div.textContent = text;
  $('messages').appendChild(div);
}

async function loadList() {
  const list = await (await api('/api/conversations')).json();
  const ul = $('conversations');
  ul.replaceChildren();
  for (const c of list) {
    const li = document.createElement('li');
    li.dataset.id = c.id;
    li.className = c.id === current ? 'current' : '';
    const title = document.createElement('span');
    title.textContent = c.title;
    const remove = document.createElement('button');
    remove.textContent = '×';
    remove.title = 'Delete';
    remove.onclick = async e => { e.stopPropagation(); await api(`/api/conversations/${c.id}`, { method: 'DELETE' }); if (current === c.id) { current = null; $('messages').replaceChildren(); } await loadList(); };
    li.append(title, remove);
    li.onclick = () => open(c.id);
    ul.appendChild(li);
  }
}

async function open(id) {
  current = id;
  const detail = await (await api(`/api/conversations/${id}`)).json();
  $('messages').replaceChildren();
  for (const m of detail.messages) {
    add(m.role, m.text);
    if (m.role === 'assistant' && m.outcome && m.outcome !== 'ok') note(`(${m.outcome})`);
  }
  await loadList();
}

async function* events(response) {
  // Server-sent events over a POST: read the body, split on blank lines, yield {event, data}.
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
      }
      yield { event, data: data.length ? JSON.parse(data.join('\n')) : null };
    }
  }
}

async function send(text) {
  if (!current) {
    current = (await (await api('/api/conversations', { method: 'POST', body: '{}' })).json()).id;
  }
  add('user', text);
  const answer = add('assistant', '');
  controller = new AbortController();
  $('stop').disabled = false;
  $('send').disabled = true;
  try {
    const mode = $('mode').hidden ? 'chat' : $('mode').value;
    const message = { text, mode };
    if (mode === 'document') {
      message.function = $('function').value;
      message.variables = Object.fromEntries([...$('variables').querySelectorAll('input')].map(i => [i.name, i.value]));
    }
    const response = await api(`/api/conversations/${current}/messages`, { method: 'POST', body: JSON.stringify(message), signal: controller.signal });
    for await (const { event, data } of events(response)) {
      if (event === 'delta') { answer.textContent += data.text; follow(); }
      else if (event === 'status') $('status').textContent = data.message;
      else if (event === 'usage') note(`${data.prompt_tokens ?? data.promptTokens} + ${data.completion_tokens ?? data.completionTokens} tokens · $${data.cost ?? 0} · first token ${Math.round(data.timeToFirstTokenMs ?? data.time_to_first_token_ms ?? 0)} ms${data.cached ? ' · from cache' : ''}`);
      else if (event === 'sources') sources(data.citations);
      else if (event === 'error') note(data.message, 'error');
    }
  } catch (e) {
    note(e.name === 'AbortError' ? 'Stopped.' : e.message, e.name === 'AbortError' ? 'usage' : 'error');
  } finally {
    $('status').textContent = '';
    $('stop').disabled = true;
    $('send').disabled = false;
    controller = null;
    await loadList();
  }
}

function showTemplate() {
  // Document mode: the message is the template's 'input'; its other variables get a field each (empty = the default).
  const isDocument = !$('mode').hidden && $('mode').value === 'document';
  $('template').hidden = !isDocument;
  $('text').placeholder = isDocument ? 'The input: a topic, notes or the text to work on…' : 'Ask something…';
  const template = templates.find(t => t.name === $('function').value);
  $('function-description').textContent = template ? template.description : '';
  $('variables').replaceChildren();
  for (const v of template ? template.variables.filter(v => v.name !== 'input') : []) {
    const label = document.createElement('label');
    label.textContent = v.name;
    label.title = v.description;
    const input = document.createElement('input');
    input.name = v.name;
    input.placeholder = v.default ?? (v.required ? 'required' : '');
    input.required = v.required;
    label.appendChild(input);
    $('variables').appendChild(label);
  }
}

$('ask').onsubmit = e => { e.preventDefault(); const text = $('text').value.trim(); if (text) { $('text').value = ''; send(text); } };
$('stop').onclick = () => controller?.abort();
$('new').onclick = () => { current = null; $('messages').replaceChildren(); loadList(); };

(async () => {
  const info = await (await api('/api/info')).json();
  if (info.emulator) {
    $('banner').hidden = false;
    $('banner').textContent = 'No GROQ_API_KEY configured: answers come from the built-in Groq emulator and are synthetic.';
  }
  $('text').maxLength = info.maxMessageLength;
  if (info.knowledgeBase) {
    $('mode').hidden = false;
    $('mode').options[1].hidden = false;
    $('mode').options[1].textContent = `Knowledge base (${info.knowledgeBase})`;
  }
  if (info.documents) {
    templates = await (await api('/api/documents')).json();
    for (const t of templates) {
      const option = document.createElement('option');
      option.value = option.textContent = t.name;
      $('function').appendChild(option);
    }
    if (templates.length) {
      $('mode').hidden = false;
      $('mode').options[2].hidden = false;
    }
  }
  $('mode').onchange = showTemplate;
  $('function').onchange = showTemplate;
  await loadList();
})();
