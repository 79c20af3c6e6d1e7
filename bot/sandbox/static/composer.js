// The message box: slash commands from the synced tree, their options, the bot's autocomplete.
"use strict";

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
