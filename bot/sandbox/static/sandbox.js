// The sandbox page's loop: polling, acting (clicks, forms), people, channels, the X panel, the log.
"use strict";

async function refreshMessages(force) {
  if (!state.user || !state.channel) return;
  const feed = await api(`/api/messages?channel=${state.channel}&user=${state.user}`);
  const key = JSON.stringify(feed);
  if (!force && key === state.lastFeed) return;
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
  state.lastFeed = key;
  box.replaceChildren(...feed.map(renderMessage));
  if (feed.length) state.seen[state.channel] = feed[feed.length - 1].id;
  const target = state.jumpTo && box.querySelector(`[data-message-id="${state.jumpTo}"]`);
  if (target) {
    state.jumpTo = null;
    target.classList.add("flash");
    target.scrollIntoView({block: "center"});
  } else if (atBottom || force) box.scrollTop = box.scrollHeight;
}

// -- acting ------------------------------------------------------------------------------------
async function act(call) {
  showError("");
  try {
    const result = await call();
    if (result && result.modal) openModal(result);
  } catch (err) {
    showError(err.message);
  }
  await refreshMessages(true);
}

function showError(text) {
  const el = $("composer-error");
  el.textContent = text;
  el.hidden = !text;
}

function openModal(result) {
  const modal = result.modal;
  $("modal-title").textContent = modal.title;
  const fields = [];
  const walk = (c, label) => {
    if (c.type === 1) (c.components || []).forEach((x) => walk(x, label));
    else if (c.type === 18) walk(c.component, c.label);
    else if (c.type === 4) fields.push([c, label || c.label]);
  };
  (modal.components || []).forEach((c) => walk(c));
  $("modal-fields").replaceChildren(...fields.map(([c, label]) => {
    const attrs = {name: c.custom_id, id: "modal-" + c.custom_id, placeholder: c.placeholder,
      required: c.required !== false, maxlength: c.max_length, minlength: c.min_length};
    const input = c.style === 2 ? h("textarea", {...attrs, rows: 4}, c.value || "") : h("input", {...attrs, value: c.value || ""});
    return h("div", {}, h("label", {for: "modal-" + c.custom_id}, label), input);
  }));
  const dialog = $("modal");
  $("modal-form").onsubmit = (ev) => {
    ev.preventDefault();
    const values = {};
    for (const [c] of fields) values[c.custom_id] = $("modal-" + c.custom_id).value;
    dialog.close();
    act(() => api("/api/modal", {user: state.user, interaction: result.interaction, values}));
  };
  $("modal-cancel").onclick = () => dialog.close();
  dialog.showModal();
}

// -- people, channels, the X panel, the log ---------------------------------------------------
async function setPerson(id) {
  state.user = id;
  const p = state.world.people.find((x) => x.id === id);
  $("person-info").replaceChildren(h("div", {}, p.title), h("div", {}, "Time zone: " + p.timezone),
    h("div", {}, "Discord language: " + p.locale));
  state.commands = await api(`/api/commands?user=${id}`);
  clearCommand();
  await refreshMessages(true);
}

function setChannel(id) {
  state.channel = id;
  const ch = state.world.channels.find((c) => c.id === id);
  $("channel-name").textContent = ch.name;
  $("message-input").placeholder = `Message #${ch.name}: type / to use a command, e.g. /artist name:블랙핑크`;
  for (const li of $("channels").children) {
    li.classList.toggle("active", li.dataset.channel === id);
    if (li.dataset.channel === id && li.querySelector(".unread")) li.querySelector(".unread").remove();
  }
  clearCommand();
  refreshMessages(true);
}

async function refreshUnread() {
  const newest = await api(`/api/latest?user=${state.user}`);
  for (const li of $("channels").children) {
    const id = li.dataset.channel;
    if (!state.primed && id !== state.channel && newest[id]) state.seen[id] = newest[id];
    const fresh = id !== state.channel && newest[id] && (!state.seen[id] || BigInt(newest[id]) > BigInt(state.seen[id]));
    let badge = li.querySelector(".unread");
    if (fresh && !badge) li.append(h("span", {className: "unread", title: "new messages"}, "new"));
    if (!fresh && badge) badge.remove();
  }
  state.primed = true;
}

function spaceState(space) {
  if (!space) return ["No Space yet", ""];
  if (space.state === "live") return [`🔴 LIVE · ${space.participant_count || 0} listening · ${space.title}`, "live"];
  if (space.state === "scheduled") return [`🗓 Scheduled · ${space.title}`, ""];
  return [`Ended · ${space.title}`, ""];
}

async function refreshX() {
  const accounts = await api("/api/x");
  const box = $("x-accounts");
  if (!accounts.length) {
    box.replaceChildren(h("p", {className: "hint"}, "No artist is followed yet. As the moderator, run ",
      h("code", {}, "/spaces setup"), " then ", h("code", {}, "/spaces follow"), "."));
    return;
  }
  const have = new Set([...box.children].map((el) => el.dataset.handle));
  if (accounts.length !== have.size || accounts.some((a) => !have.has(a.handle))) {
    box.replaceChildren(...accounts.map(renderAccount));
  }
  for (const a of accounts) {
    const el = box.querySelector(`[data-handle="${CSS.escape(a.handle)}"] .state`);
    const [text, cls] = spaceState(a.space);
    el.textContent = text;
    el.className = "state " + cls;
  }
}

function renderAccount(a) {
  const title = h("input", {className: "title", placeholder: "Space title", value: `${a.handle} talk`});
  const listeners = h("input", {className: "listeners", type: "number", min: 0, value: 1200, title: "listeners"});
  const go = (action) => act(async () => {
    await api("/api/x/space", {handle: a.handle, action, title: title.value, listeners: Number(listeners.value)});
    await refreshX();
  });
  return h("div", {className: "x-account", "data-handle": a.handle},
    h("div", {className: "handle"}, "@" + a.handle), h("div", {className: "state"}),
    title,
    h("div", {className: "row"},
      h("button", {className: "btn secondary", onclick: () => go("schedule")}, "Schedule"),
      h("button", {className: "btn danger", onclick: () => go("live")}, "Go live"),
      listeners,
      h("button", {className: "btn secondary", onclick: () => go("end")}, "End")));
}

async function refreshLogs() {
  const lines = await api(`/api/logs?after=${state.logAfter}`);
  if (!lines.length) return;
  const log = $("log");
  const stick = log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  for (const line of lines) log.append(h("div", {className: line.level}, line.text));
  while (log.children.length > 500) log.firstChild.remove();
  state.logAfter = lines[lines.length - 1].seq;
  $("log-count").textContent = `(${state.logAfter} lines)`;
  if (stick) log.scrollTop = log.scrollHeight;
}

function every(ms, fn) {
  const tick = async () => {
    try { await fn(); } catch (err) { /* the next tick retries */ }
    setTimeout(tick, ms);
  };
  setTimeout(tick, ms);
}

async function init() {
  state.world = await api("/api/world");
  const w = state.world;
  $("guild-name").textContent = w.guild.name;
  $("channels").replaceChildren(...w.channels.map((c) => h("li", {"data-channel": c.id,
    onclick: () => setChannel(c.id)}, "# " + c.name)));
  $("person").replaceChildren(...w.people.map((p) => h("option", {value: p.id}, `${p.name} · ${p.title}`)));
  $("person").addEventListener("change", (ev) => setPerson(ev.target.value));
  $("message-input").addEventListener("input", onInput);
  $("message-input").addEventListener("keydown", onKeyDown);
  $("send").addEventListener("click", send);
  state.channel = w.channels[0].id;
  await setPerson(w.people[0].id);
  setChannel(w.channels[0].id);
  await refreshX();
  await refreshLogs();
  every(700, () => refreshMessages(false));
  every(30000, () => refreshMessages(true));
  every(1500, refreshX);
  every(1000, refreshUnread);
  every(1000, refreshLogs);
  document.body.dataset.ready = "true";
}

init();
