// The Lightstick sandbox page: draws the loopback Discord's messages and sends what the person does.
"use strict";

const state = {
  world: null, user: null, channel: null, commands: [], command: null,
  lastFeed: "", logAfter: 0, suggestionIndex: 0, seen: {}, jumpTo: null, primed: false,
};
const $ = (id) => document.getElementById(id);

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "className") el.className = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

async function api(path, body) {
  const init = body === undefined ? {} : {
    method: "POST", headers: {"Content-Type": "application/json"}, body: JSON.stringify(body),
  };
  const resp = await fetch(path, init);
  const data = await resp.json();
  if (!resp.ok) throw new Error(data.error || resp.statusText);
  return data;
}

// -- Discord text: markdown subset, mentions and timestamps in the viewer's local time --------
const TOKEN = new RegExp([
  String.raw`\\([*_~|\x60>\\#\-\[\]()@])`,
  String.raw`<t:(-?\d+)(?::([tTdDfFR]))?>`,
  String.raw`<@!?(\d+)>`, String.raw`<@&(\d+)>`, String.raw`<#(\d+)>`,
  String.raw`\*\*([\s\S]+?)\*\*`, String.raw`__([\s\S]+?)__`, String.raw`~~([\s\S]+?)~~`,
  String.raw`\*([^*\n]+)\*`, String.raw`\x60([^\x60]+)\x60`,
  String.raw`\[([^\]\n]+)\]\(<?(https?:\/\/[^)\s>]+)>?\)`, String.raw`(https?:\/\/[^\s<>]+[^\s<>.,)])`,
  String.raw`(@everyone|@here)`,
].join("|"), "g");

function formatTimestamp(seconds, style) {
  const date = new Date(seconds * 1000);
  const opts = {
    t: {timeStyle: "short"}, T: {timeStyle: "medium"}, d: {dateStyle: "short"},
    D: {dateStyle: "long"}, f: {dateStyle: "long", timeStyle: "short"},
    F: {dateStyle: "full", timeStyle: "short"},
  };
  if (style === "R") return relative(date);
  return new Intl.DateTimeFormat(undefined, opts[style || "f"]).format(date);
}

function relative(date) {
  const diff = (date.getTime() - Date.now()) / 1000;
  const units = [["year", 31536000], ["month", 2592000], ["day", 86400], ["hour", 3600],
    ["minute", 60], ["second", 1]];
  const rtf = new Intl.RelativeTimeFormat(undefined, {numeric: "auto"});
  for (const [unit, size] of units) {
    if (Math.abs(diff) >= size || unit === "second") return rtf.format(Math.round(diff / size), unit);
  }
  return "";
}

function renderText(text, msg) {
  const out = [];
  let last = 0;
  const pinged = msg ? msg.pinged : {users: [], roles: []};
  for (const m of text.matchAll(TOKEN)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    const w = state.world;
    if (m[1] !== undefined) out.push(m[1]);
    else if (m[2] !== undefined) {
      const date = new Date(Number(m[2]) * 1000);
      out.push(h("span", {className: "timestamp", title: date.toString()},
        formatTimestamp(Number(m[2]), m[3])));
    } else if (m[4] !== undefined) {
      const name = (w.users[m[4]] || (m[4] === w.bot.id ? w.bot.name : "unknown-user"));
      const hit = pinged.users.includes(m[4]);
      out.push(h("span", {className: "mention" + (hit ? " pinged" : ""), title: hit ? "pinged" : "not pinged"}, "@" + name));
    } else if (m[5] !== undefined) {
      const role = w.roles[m[5]];
      const hit = pinged.roles.includes(m[5]);
      out.push(h("span", {className: "mention" + (hit ? " pinged" : ""), title: hit ? "pinged" : "not pinged"},
        "@" + (role ? role.name : "deleted-role")));
    } else if (m[6] !== undefined) {
      out.push(h("span", {className: "mention"}, "#" + (w.all_channels[m[6]] || "unknown")));
    } else if (m[7] !== undefined) out.push(h("strong", {}, renderText(m[7], msg)));
    else if (m[8] !== undefined) out.push(h("u", {}, renderText(m[8], msg)));
    else if (m[9] !== undefined) out.push(h("s", {}, renderText(m[9], msg)));
    else if (m[10] !== undefined) out.push(h("em", {}, renderText(m[10], msg)));
    else if (m[11] !== undefined) out.push(h("code", {}, m[11]));
    else if (m[12] !== undefined) out.push(h("a", {href: m[13], target: "_blank", rel: "noopener"}, renderText(m[12], msg)));
    else if (m[14] !== undefined) out.push(link(m[14]));
    else if (m[15] !== undefined) out.push(h("span", {className: "mention" + (msg && msg.pinged.everyone ? " pinged" : "")}, m[15]));
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

// A link to a message of this server jumps to it, as in Discord; any other opens a new tab.
function link(url) {
  const jump = url.match(/^https:\/\/discord\.com\/channels\/(\d+)\/(\d+)\/(\d+)$/);
  if (jump && jump[1] === state.world.guild.id && state.world.channels.some((c) => c.id === jump[2])) {
    return h("a", {href: "#" + jump[3], className: "jump", onclick: (ev) => {
      ev.preventDefault();
      state.jumpTo = jump[3];
      setChannel(jump[2]);
    }}, url);
  }
  return h("a", {href: url, target: "_blank", rel: "noopener"}, url);
}

// -- messages ------------------------------------------------------------------------------------
function color(value) {
  return value ? "#" + Number(value).toString(16).padStart(6, "0") : "#1e1f22";
}

function renderEmbed(e, msg) {
  const parts = [];
  if (e.thumbnail && e.thumbnail.url) parts.push(h("img", {className: "e-thumb", src: e.thumbnail.url, alt: ""}));
  if (e.author && e.author.name) parts.push(h("div", {className: "e-author"}, e.author.name));
  if (e.title) {
    const title = renderText(e.title, msg);
    parts.push(h("div", {className: "e-title"},
      e.url ? h("a", {href: e.url, target: "_blank", rel: "noopener"}, title) : title));
  }
  if (e.description) parts.push(h("div", {className: "e-desc"}, renderText(e.description, msg)));
  if (e.fields && e.fields.length) {
    parts.push(h("div", {className: "e-fields"}, e.fields.map((f) =>
      h("div", {className: "e-field" + (f.inline ? " inline" : "")},
        h("div", {className: "name"}, renderText(f.name, msg)),
        h("div", {className: "value"}, renderText(f.value, msg))))));
  }
  if (e.image && e.image.url) parts.push(h("img", {src: e.image.url, alt: ""}));
  const footer = [];
  if (e.footer && e.footer.text) footer.push(e.footer.text);
  if (e.timestamp) footer.push(new Date(e.timestamp).toLocaleString());
  if (footer.length) parts.push(h("div", {className: "e-footer"}, footer.join(" • ")));
  const el = h("div", {className: "embed"}, parts);
  el.style.borderLeftColor = color(e.color);
  return el;
}

const BUTTON_STYLES = {1: "primary", 2: "secondary", 3: "success", 4: "danger", 5: "link"};

function renderComponent(c, msg) {
  if (c.type === 1) return h("div", {className: "row"}, (c.components || []).map((x) => renderComponent(x, msg)));
  if (c.type === 2) {
    const label = [c.emoji && c.emoji.name ? c.emoji.name + " " : "", c.label || ""].join("");
    if (c.style === 5) return h("a", {className: "btn link", href: c.url, target: "_blank", rel: "noopener"}, label);
    return h("button", {
      className: "btn " + (BUTTON_STYLES[c.style] || "secondary"), disabled: !!c.disabled,
      "data-custom-id": c.custom_id, onclick: () => act(() => api("/api/click",
        {user: state.user, message: msg.id, custom_id: c.custom_id})),
    }, label);
  }
  if ([3, 5, 6, 7, 8].includes(c.type)) return renderSelect(c, msg);
  return h("span", {className: "hint"}, `(component type ${c.type} is not drawn by the sandbox)`);
}

function selectOptions(c) {
  const w = state.world;
  if (c.type === 3) return (c.options || []).map((o) => [o.value, (o.emoji && o.emoji.name ? o.emoji.name + " " : "") + o.label]);
  if (c.type === 5) return w.people.map((p) => [p.id, p.name]);
  if (c.type === 6) return Object.entries(w.roles).map(([id, r]) => [id, r.name]);
  if (c.type === 7) return w.channels.map((ch) => [ch.id, "#" + ch.name]);
  return [...w.people.map((p) => [p.id, p.name]), ...Object.entries(w.roles).map(([id, r]) => [id, "@" + r.name])];
}

function renderSelect(c, msg) {
  const multi = (c.max_values || 1) > 1;
  const sel = h("select", {className: "menu", multiple: multi, disabled: !!c.disabled, "data-custom-id": c.custom_id},
    multi ? null : h("option", {value: ""}, c.placeholder || "Make a selection"),
    selectOptions(c).map(([value, label]) => h("option", {value}, label)));
  const send = () => {
    const values = [...sel.selectedOptions].map((o) => o.value).filter((v) => v);
    if (!values.length) return;
    act(() => api("/api/click", {user: state.user, message: msg.id, custom_id: c.custom_id, values}));
  };
  if (!multi) { sel.addEventListener("change", send); return sel; }
  return h("div", {className: "row"}, sel, h("button", {className: "btn primary", onclick: send}, "Apply"));
}

function youWerePinged(msg) {
  const me = state.world.people.find((p) => p.id === state.user);
  return msg.pinged.everyone || msg.pinged.users.includes(state.user) ||
    msg.pinged.roles.some((r) => me.roles.includes(r));
}

function describePings(msg) {
  const w = state.world;
  const names = [
    ...(msg.pinged.everyone ? ["@everyone"] : []),
    ...msg.pinged.roles.map((r) => "@" + (w.roles[r] ? w.roles[r].name : r)),
    ...msg.pinged.users.map((u) => "@" + (w.users[u] || u)),
  ];
  return names.length ? h("div", {className: "pings"}, "🔔 Pinged " + names.join(", ")) : null;
}

function renderMessage(msg) {
  const w = state.world;
  const loading = (msg.flags & 128) !== 0;
  const used = msg.used ? h("div", {className: "used"},
    h("span", {className: "who"}, w.users[msg.used.user_id] || "someone"), " used ", msg.used.label) : null;
  const att = (msg.attachments || []).map((a) => h("div", {className: "attachment"}, "📎 ",
    h("a", {href: `/attachments/${a.id}/${encodeURIComponent(a.filename)}`, download: a.filename}, a.filename),
    h("span", {className: "hint"}, ` ${a.size} bytes`)));
  const classes = ["message"];
  if (msg.ephemeral) classes.push("ephemeral");
  if (youWerePinged(msg)) classes.push("pinged-you");
  return h("div", {className: classes.join(" "), "data-message-id": msg.id},
    h("div", {className: "avatar"}, (msg.author.username || "?")[0].toUpperCase()),
    used,
    h("div", {className: "head"}, h("span", {className: "author"}, msg.author.global_name || msg.author.username),
      msg.author.bot ? h("span", {className: "badge"}, "APP") : null,
      h("span", {className: "time"}, new Date(msg.timestamp).toLocaleString())),
    loading ? h("div", {className: "thinking"}, "Lightstick is thinking…") :
      h("div", {className: "content"}, renderText(msg.content || "", msg)),
    (msg.embeds || []).map((e) => renderEmbed(e, msg)),
    att,
    msg.components && msg.components.length ? h("div", {className: "components"}, msg.components.map((c) => renderComponent(c, msg))) : null,
    describePings(msg),
    msg.ephemeral ? h("div", {className: "only-you"}, "Only you can see this") : null);
}

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

// -- the message box: slash commands from the synced tree, options, the bot's autocomplete ------
const OPTION_TYPES = {3: "text", 4: "integer", 5: "True/False", 6: "user", 7: "channel", 8: "role",
  9: "user or role", 10: "number", 11: "file"};

function matchCommand(text) {
  const words = text.replace(/^\//, "").trim().split(/\s+/);
  let best = null;
  for (const cmd of state.commands) {
    const parts = cmd.path.split(" ");
    if (parts.every((p, i) => words[i] === p) && (!best || parts.length > best.path.split(" ").length)) best = cmd;
  }
  return best;
}

function onInput() {
  const text = $("message-input").value;
  const list = $("suggestions");
  if (!text.startsWith("/")) { list.hidden = true; return; }
  const typed = text.slice(1).toLowerCase();
  const chosen = matchCommand(text);
  if (chosen && typed.startsWith(chosen.path)) {
    list.hidden = true;
    if (state.command !== chosen) selectCommand(chosen, false);
    return;
  }
  const hits = state.commands.filter((c) => c.path.startsWith(typed.trim()) || c.path.includes(typed.trim())).slice(0, 25);
  state.suggestionIndex = 0;
  list.replaceChildren(...hits.map((c, i) => h("li", {className: i === 0 ? "active" : "", "data-command": c.path,
    onmousedown: (ev) => { ev.preventDefault(); selectCommand(c, true); }},
    "/" + c.path, h("span", {className: "desc"}, c.description))));
  list.hidden = hits.length === 0;
}

function selectCommand(cmd, fillInput) {
  state.command = cmd;
  if (fillInput) $("message-input").value = "/" + cmd.path + " ";
  $("suggestions").hidden = true;
  $("command-title").replaceChildren("/" + cmd.path, h("span", {className: "desc"}, cmd.description));
  $("command-options").replaceChildren(...cmd.options.map(renderOption));
  $("command-form").hidden = false;
  $("message-input").focus();
}

function clearCommand() {
  state.command = null;
  $("command-form").hidden = true;
  $("command-options").replaceChildren();
}

function renderOption(opt) {
  const id = "opt-" + opt.name;
  const w = state.world;
  let input;
  const pick = (pairs, allowEmpty) => h("select", {id, name: opt.name},
    allowEmpty ? h("option", {value: ""}, "—") : null, pairs.map(([v, l]) => h("option", {value: v}, l)));
  if (opt.choices && opt.choices.length) input = pick(opt.choices.map((c) => [String(c.value), c.name]), true);
  else if (opt.type === 5) input = pick([["true", "True"], ["false", "False"]], true);
  else if (opt.type === 7) input = pick(w.channels.map((c) => [c.id, "#" + c.name]), true);
  else if (opt.type === 8) input = pick(Object.entries(w.roles).map(([rid, r]) => [rid, "@" + r.name]), true);
  else if (opt.type === 6 || opt.type === 9) input = pick(w.people.map((p) => [p.id, p.name]), true);
  else if (opt.type === 11) input = h("input", {id, disabled: true, placeholder: "files cannot be attached in the sandbox"});
  else {
    input = h("input", {id, name: opt.name, type: opt.type === 3 ? "text" : "number", autocomplete: "off",
      step: opt.type === 10 ? "any" : "1", min: opt.min_value, max: opt.max_value, maxlength: opt.max_length,
      placeholder: OPTION_TYPES[opt.type]});
    if (opt.autocomplete) {
      const choices = h("ul", {className: "choices", id: id + "-choices"});
      let timer = null;
      input.addEventListener("input", () => {
        clearTimeout(timer);
        timer = setTimeout(() => autocomplete(opt, input, choices), 150);
      });
      input.addEventListener("focus", () => autocomplete(opt, input, choices));
      return optionRow(opt, id, h("div", {}, input, choices));
    }
  }
  return optionRow(opt, id, input);
}

function optionRow(opt, id, control) {
  return h("div", {className: "opt"},
    h("label", {for: id}, opt.name, opt.required ? h("span", {className: "req"}, " *") : null),
    h("div", {}, control, h("div", {className: "opt-desc"}, opt.description)));
}

function collectOptions() {
  const out = {};
  if (!state.command) return out;
  for (const opt of state.command.options) {
    const el = $("opt-" + opt.name);
    if (!el || el.disabled || el.value === "") continue;
    let value = el.dataset.chosen !== undefined && el.value === el.dataset.label ? el.dataset.chosen : el.value;
    if (opt.type === 4) value = parseInt(value, 10);
    else if (opt.type === 10) value = Number(value);
    else if (opt.type === 5) value = value === "true";
    out[opt.name] = value;
  }
  return out;
}

async function autocomplete(opt, input, list) {
  const options = collectOptions();
  options[opt.name] = input.value;
  try {
    const choices = await api("/api/autocomplete", {user: state.user, channel: state.channel,
      command: state.command.path, options, focused: opt.name});
    list.replaceChildren(...choices.map((c) => h("li", {onmousedown: (ev) => {
      ev.preventDefault();
      input.value = c.name;
      input.dataset.label = c.name;
      input.dataset.chosen = String(c.value);
      list.replaceChildren();
    }}, c.name)));
  } catch (err) {
    list.replaceChildren(h("li", {className: "hint"}, err.message));
  }
}

// "/artist name:블랙핑크 extra:..." typed in one line: split at each known `option:`.
function inlineOptions(cmd, text) {
  const rest = text.replace(/^\//, "").trim().slice(cmd.path.length);
  const names = cmd.options.map((o) => o.name.replace(/[-]/g, "\\-"));
  const out = {};
  if (!names.length) return out;
  const re = new RegExp(`(?:^|\\s)(${names.join("|")}):`, "g");
  const marks = [...rest.matchAll(re)];
  marks.forEach((m, i) => {
    const start = m.index + m[0].length;
    const end = i + 1 < marks.length ? marks[i + 1].index : rest.length;
    out[m[1]] = rest.slice(start, end).trim();
  });
  return out;
}

async function send() {
  const text = $("message-input").value.trim();
  if (!text) return;
  const cmd = matchCommand(text);
  if (!text.startsWith("/") || !cmd) {
    showError("The sandbox only sends slash commands (Lightstick reads no messages): type / to pick one.");
    return;
  }
  if (state.command !== cmd) selectCommand(cmd, false);
  for (const [name, value] of Object.entries(inlineOptions(cmd, text))) {
    const el = $("opt-" + name);
    if (el && value !== "") el.value = value;
  }
  const options = collectOptions();
  await act(async () => {
    const result = await api("/api/slash", {user: state.user, channel: state.channel, command: cmd.path, options});
    $("message-input").value = "";
    clearCommand();
    return result;
  });
}

function onKeyDown(ev) {
  const list = $("suggestions");
  const items = [...list.children];
  if (!list.hidden && items.length && ["ArrowDown", "ArrowUp", "Tab", "Enter"].includes(ev.key)) {
    ev.preventDefault();
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      state.suggestionIndex = (state.suggestionIndex + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      items.forEach((li, i) => li.classList.toggle("active", i === state.suggestionIndex));
      return;
    }
    const chosen = state.commands.find((c) => c.path === items[state.suggestionIndex].dataset.command);
    if (chosen) selectCommand(chosen, true);
    return;
  }
  if (ev.key === "Enter") { ev.preventDefault(); send(); }
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
  for (const li of $("channels").children) li.classList.toggle("active", li.dataset.channel === id);
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
