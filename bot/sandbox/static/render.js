// Drawing Discord: message text (markdown subset, mentions, timestamps), embeds, components.
// Loaded first: it also holds the page state and the two helpers every script uses.
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
