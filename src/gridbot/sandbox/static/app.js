// gridbot sandbox web chat. Plain JS, no build step: it plays a persona on the stand's
// person side (/sim/...) and polls the chat transcript. Bot messages arrive as text plus
// Telegram entities (the stand parsed the bot's HTML), so they are rendered with DOM nodes
// and textContent only: nothing the bot or a person sends is ever parsed as HTML here.
"use strict";

const POLL_MS = 700;
const PRESET_LOCATION = { latitude: 39.0916, longitude: 117.3107, name: "临月里社区" };
const GUEST = { user_id: 9001, first_name: "访客", label: "未登记 Stranger", language_code: "zh-hans" };

const ui = {
  app: document.getElementById("app"),
  persona: document.getElementById("persona"),
  personaLabel: document.getElementById("persona-label"),
  chats: document.getElementById("chats"),
  title: document.getElementById("chat-title"),
  sub: document.getElementById("chat-sub"),
  messages: document.getElementById("messages"),
  list: document.getElementById("message-list"),
  newMessages: document.getElementById("new-messages"),
  personaQuick: document.getElementById("persona-quick"),
  notice: document.getElementById("notice"),
  guide: document.getElementById("guide"),
  guideSteps: document.getElementById("guide-steps"),
  showGuide: document.getElementById("show-guide"),
  replyKeyboard: document.getElementById("reply-keyboard"),
  composer: document.getElementById("composer"),
  text: document.getElementById("text"),
  attachMenu: document.getElementById("attach-menu"),
  photoFile: document.getElementById("photo-file"),
  toast: document.getElementById("toast"),
  addMember: document.getElementById("add-member"),
};

const app = {
  personas: [],
  persona: null,
  chatId: null, // null: the persona's private chat
  world: null, // the last /sim/state
  renderedKey: "",
  replyKey: "",
  info: { tz: "Asia/Shanghai", transcript: "new", guide: [], epoch: "" }, // /webchat/info
  follow: true, // the view follows the newest message (the person has not scrolled up)
  lastId: 0, // the newest message id rendered in the open chat
  unread: new Map(), // chat key -> messages from others not seen yet
};

// ---- the stand's facts: the bot's time zone, the transcript, the guide -----------------
let clock = null;
async function loadInfo() {
  try {
    app.info = { ...app.info, ...(await call("GET", "/webchat/info")) };
  } catch (error) {
    showToast(error.message, true);
  }
  // The bot writes times in its zone on a 24-hour clock; so does the page, whatever the
  // browser's locale and zone are.
  clock = new Intl.DateTimeFormat("en-GB", {
    timeZone: app.info.tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  ui.notice.hidden = app.info.transcript !== "reset";
  renderGuide();
}

function clockTime(date) {
  return clock.format(date);
}

function renderGuide() {
  const steps = app.info.guide || [];
  ui.showGuide.hidden = !steps.length;
  ui.guide.hidden = !steps.length || localStorage.getItem("webchat.guide.dismissed") === "1";
  ui.guideSteps.replaceChildren(
    ...steps.map((step) => {
      const li = document.createElement("li");
      const zh = document.createElement("div");
      zh.textContent = step.zh;
      const play = document.createElement("button");
      play.type = "button";
      play.className = "link-button";
      play.textContent = "扮演 Play";
      play.addEventListener("click", () => {
        const persona = app.personas.find((p) => p.user_id === step.user_id);
        if (persona) choosePersona(persona);
      });
      zh.append(play);
      const en = document.createElement("div");
      en.className = "en";
      en.textContent = step.en;
      li.append(zh, en);
      return li;
    }),
  );
}

// ---- talking to the stand ---------------------------------------------------------------
async function call(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.error || `${response.status} ${response.statusText}`);
  return data;
}

function currentChatId() {
  return app.chatId === null ? app.persona.user_id : app.chatId;
}

function chatInfo(chatId) {
  return (app.world?.chats || []).find((c) => c.id === chatId) || null;
}

// Who the persona is, and where, on every person-side request.
function personBody(extra) {
  const p = app.persona;
  const body = { user_id: p.user_id, first_name: p.first_name, ...extra };
  if (p.username) body.username = p.username;
  if (p.last_name) body.last_name = p.last_name;
  if (p.language_code) body.language_code = p.language_code;
  if (app.chatId !== null) {
    const chat = chatInfo(app.chatId);
    body.chat_id = app.chatId;
    if (chat) {
      body.chat_type = chat.type;
      body.chat_title = chat.title;
    }
  }
  return body;
}

async function act(path, extra) {
  try {
    const result = await call("POST", path, personBody(extra));
    await refresh(true);
    return result;
  } catch (error) {
    showToast(`未送达 Not delivered: ${error.message}`, true);
    return null;
  }
}

// ---- personas ----------------------------------------------------------------------------
async function loadPersonas() {
  let personas = [];
  try {
    personas = await call("GET", "/sim/personas");
  } catch (error) {
    showToast(error.message, true);
  }
  app.personas = personas.length ? personas : [GUEST];
  const options = (long) =>
    app.personas.map((p) => {
      const option = document.createElement("option");
      option.value = String(p.user_id);
      option.textContent = long && p.label ? `${p.first_name} · ${p.label}` : p.first_name;
      return option;
    });
  ui.persona.replaceChildren(...options(true));
  ui.personaQuick.replaceChildren(...options(false)); // the picker in a phone's header
  const saved = Number(localStorage.getItem("webchat.persona"));
  choosePersona(app.personas.find((p) => p.user_id === saved) || app.personas[0], false);
}

function choosePersona(persona, resetChat = true) {
  app.persona = persona;
  ui.persona.value = String(persona.user_id);
  ui.personaQuick.value = String(persona.user_id);
  ui.personaLabel.textContent = `${persona.label || ""} · id ${persona.user_id}`;
  localStorage.setItem("webchat.persona", String(persona.user_id));
  if (resetChat) app.chatId = null;
  app.renderedKey = "";
  followAgain();
  refresh(true);
}

async function newPersona() {
  const name = prompt("新身份的名字 Name of the new persona", "新居民");
  if (!name) return;
  const taken = new Set(app.personas.map((p) => p.user_id));
  let id = 3001;
  while (taken.has(id)) id += 1;
  const persona = { user_id: id, first_name: name, label: "未登记 Stranger", language_code: "zh-hans" };
  try {
    await call("POST", "/sim/personas", persona);
  } catch (error) {
    showToast(error.message, true);
    return;
  }
  await loadPersonas();
  choosePersona(app.personas.find((p) => p.user_id === id));
}

// ---- chats -------------------------------------------------------------------------------
function groupsOf(world) {
  return (world?.chats || []).filter((c) => c.type !== "private" && !c.migrated_to);
}

function avatar(text, kind) {
  const div = document.createElement("div");
  div.className = `avatar ${kind}`;
  div.textContent = Array.from(text || "?")[0];
  return div;
}

function chatKey(id) {
  return id === null ? "private" : String(id);
}

function chatItem(id, name, meta, kind) {
  const li = document.createElement("li");
  li.dataset.chatId = id === null ? "private" : String(id);
  if (id === app.chatId) li.classList.add("active");
  const text = document.createElement("div");
  text.className = "chat-text";
  const title = document.createElement("div");
  title.className = "chat-name";
  title.textContent = name;
  const sub = document.createElement("div");
  sub.className = "chat-meta";
  sub.textContent = meta;
  text.append(title, sub);
  li.append(avatar(name, kind), text);
  const unread = id === app.chatId ? 0 : app.unread.get(chatKey(id)) || 0;
  if (unread) {
    const badge = document.createElement("span");
    badge.className = "badge";
    badge.title = "未读 Unread";
    badge.textContent = String(unread);
    li.append(badge);
  }
  li.addEventListener("click", () => openChat(id));
  return li;
}

function renderChatList() {
  const bot = app.world?.bot?.first_name || "网格通";
  const items = [chatItem(null, bot, "私聊 Private chat with the bot", "bot")];
  for (const group of groupsOf(app.world)) {
    const status = group.members[String(app.persona.user_id)];
    const inside = status && !["left", "kicked"].includes(status);
    const botIn = ["creator", "administrator", "member"].includes(group.bot_status);
    const meta = `${inside ? "已加入 Member" : "未加入 Not a member"}${botIn ? "" : " · 机器人不在 Bot absent"}`;
    items.push(chatItem(group.id, group.title, meta, "group"));
  }
  // On a phone the list is folded away: the menu button carries the sum.
  const total = [...app.unread.entries()].reduce((sum, [k, n]) => sum + (k === chatKey(app.chatId) ? 0 : n), 0);
  document.getElementById("menu").dataset.unread = total ? String(total) : "";
  const key = JSON.stringify(items.map((li) => li.textContent + li.className));
  if (key !== ui.chats.dataset.key) {
    ui.chats.dataset.key = key;
    ui.chats.replaceChildren(...items);
  }
}

function openChat(id) {
  app.chatId = id;
  app.renderedKey = "";
  app.replyKey = "";
  followAgain();
  ui.app.classList.remove("show-sidebar");
  refresh(true);
  ui.text.focus();
}

async function newGroup() {
  const title = prompt("群名称 Group title", "临月里3号楼群");
  if (!title || !app.world) return;
  const chatId = -(100000 + Math.floor(Math.random() * 899999999));
  try {
    await call("POST", "/sim/join", {
      chat_id: chatId, chat_type: "group", chat_title: title,
      user_id: app.world.bot.id, from_user_id: app.persona.user_id,
    });
  } catch (error) {
    showToast(error.message, true);
    return;
  }
  openChat(chatId);
}

async function addMember() {
  if (app.chatId === null) return;
  const list = app.personas.map((p, i) => `${i + 1}. ${p.first_name} ${p.label || ""}`).join("\n");
  const answer = prompt(`拉谁进群？输入序号 Who joins? Number:\n${list}`, "1");
  const persona = app.personas[Number(answer) - 1];
  if (!persona) return;
  try {
    await call("POST", "/sim/join", {
      chat_id: app.chatId, user_id: persona.user_id, from_user_id: app.persona.user_id,
      first_name: persona.first_name, language_code: persona.language_code,
    });
    await refresh(true);
  } catch (error) {
    showToast(error.message, true);
  }
}

// ---- rendering messages ------------------------------------------------------------------
const SIMPLE_TAGS = { bold: "b", italic: "i", underline: "u", strikethrough: "s", code: "code" };
const SAFE_URL = /^(https?:|tg:|mailto:)/i;

function entityElement(entity, content) {
  const tag = SIMPLE_TAGS[entity.type];
  if (tag) return document.createElement(tag);
  switch (entity.type) {
    case "pre": {
      const pre = document.createElement("pre");
      if (entity.language) pre.dataset.language = entity.language;
      return pre;
    }
    case "blockquote":
    case "expandable_blockquote":
      return document.createElement("blockquote");
    case "spoiler": {
      const span = document.createElement("span");
      span.className = "spoiler";
      span.addEventListener("click", () => span.classList.toggle("shown"));
      return span;
    }
    case "text_link":
    case "url": {
      const url = entity.type === "url" ? content : entity.url || "";
      if (!SAFE_URL.test(url)) return document.createElement("span");
      const a = document.createElement("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      return a;
    }
    case "bot_command": {
      const span = document.createElement("span");
      span.className = "command";
      span.title = "点击发送 Click to send";
      span.addEventListener("click", () => sendText(content.split("@")[0]));
      return span;
    }
    default: {
      const span = document.createElement("span");
      span.className = `entity-${entity.type}`;
      return span;
    }
  }
}

// Telegram apps make /commands in any message tappable; the Bot API does not mark them in
// the bot's own formatted text, so they are found here (never across an entity's edge).
const COMMAND = /(^|[^\w/])(\/[A-Za-z0-9_]{1,32})(?![\w/])/g;

function withCommands(text, entities) {
  const found = [];
  for (const match of text.matchAll(COMMAND)) {
    const offset = match.index + match[1].length;
    const end = offset + match[2].length;
    const crosses = entities.some((e) => {
      const eEnd = e.offset + e.length;
      const inside = e.offset <= offset && end <= eEnd;
      const apart = end <= e.offset || eEnd <= offset;
      return !inside && !apart;
    });
    const already = entities.some((e) => e.type === "bot_command" && e.offset === offset);
    if (!crosses && !already) found.push({ type: "bot_command", offset, length: match[2].length });
  }
  return [...entities, ...found];
}

// Text with (possibly nested) entities; offsets are UTF-16, as JavaScript strings are.
function renderEntities(text, entities) {
  const all = withCommands(text, entities || []);
  const sorted = all.sort((a, b) => a.offset - b.offset || b.length - a.length);
  const fragment = document.createDocumentFragment();
  let index = 0;
  function fill(parent, start, end) {
    let position = start;
    while (index < sorted.length && sorted[index].offset < end) {
      const entity = sorted[index];
      index += 1;
      const from = Math.max(entity.offset, position);
      const to = Math.min(entity.offset + entity.length, end);
      if (from > position) parent.append(text.slice(position, from));
      const element = entityElement(entity, text.slice(from, to));
      fill(element, from, to);
      parent.append(element);
      position = to;
    }
    if (position < end) parent.append(text.slice(position, end));
  }
  fill(fragment, 0, text.length);
  return fragment;
}

function serviceText(message) {
  const names = (users) => users.map((u) => u.first_name).join("、");
  if (message.new_chat_members) {
    const joined = message.new_chat_members;
    if (joined.length === 1 && joined[0].id === message.from?.id) return `${message.who} 加入了群 joined`;
    return `${message.who} 邀请 ${names(joined)} 入群 added`;
  }
  if (message.left_chat_member) return `${names([message.left_chat_member])} 离开了群 left`;
  if (message.migrate_to_chat_id) return `群已升级为超级群 Upgraded to a supergroup`;
  if (message.migrate_from_chat_id) return `由普通群升级而来 Upgraded from a group`;
  return null;
}

function bodyOf(message) {
  const parts = [];
  if (message.reply_to_message) {
    const quote = document.createElement("div");
    quote.className = "quote";
    const quoted = message.reply_to_message;
    quote.textContent = quoted.text || quoted.caption || "[媒体 media]";
    parts.push(quote);
  }
  if (message.photo?.length) {
    const img = document.createElement("img");
    img.className = "photo";
    img.alt = "照片 photo";
    img.src = `/webchat/file/${encodeURIComponent(message.photo[message.photo.length - 1].file_id)}`;
    parts.push(img);
  }
  if (message.location) {
    const loc = document.createElement("div");
    loc.className = "location";
    loc.textContent = `📍 ${message.location.latitude.toFixed(5)}, ${message.location.longitude.toFixed(5)}`;
    parts.push(loc);
  }
  if (message.document) parts.push(`📄 ${message.document.file_name || "文件 document"}`);
  if (message.sticker) parts.push(`${message.sticker.emoji || "🙂"} [贴纸 sticker]`);
  if (message.voice) parts.push(`🎤 [语音 voice ${message.voice.duration}s]`);
  if (message.poll) parts.push(`📊 ${message.poll.question}: ${message.poll.options.map((o) => o.text).join(" / ")}`);
  if (message.text !== undefined) parts.push(renderEntities(message.text, message.entities));
  if (message.caption !== undefined) {
    const caption = document.createElement("div");
    caption.append(renderEntities(message.caption, message.caption_entities));
    parts.push(caption);
  }
  return parts;
}

function inlineKeyboard(message) {
  const rows = message.reply_markup?.inline_keyboard;
  if (!rows?.length) return null;
  const box = document.createElement("div");
  box.className = "inline-keyboard";
  for (const row of rows) {
    const line = document.createElement("div");
    line.className = "kb-row";
    for (const button of row) {
      const b = document.createElement("button");
      b.type = "button";
      b.textContent = button.url ? `${button.text} ↗` : button.text;
      b.addEventListener("click", () => tapButton(message, button, b));
      line.append(b);
    }
    box.append(line);
  }
  return box;
}

function messageRow(message, isGroup) {
  const row = document.createElement("div");
  row.className = "row";
  row.dataset.messageId = String(message.message_id);
  const service = serviceText(message);
  if (service) {
    row.classList.add("service");
    const span = document.createElement("span");
    span.className = "service-text";
    span.textContent = service;
    row.append(span);
    return row;
  }
  const mine = message.from?.id === app.persona.user_id;
  if (mine) row.classList.add("mine");
  if (message.from_bot) row.classList.add("bot");
  const bubble = document.createElement("div");
  bubble.className = "bubble";
  if (!mine && isGroup) {
    const who = document.createElement("div");
    who.className = message.from_bot ? "who bot" : "who";
    who.textContent = message.who;
    bubble.append(who);
  }
  bubble.append(...bodyOf(message));
  const meta = document.createElement("div");
  meta.className = "meta";
  const time = clockTime(new Date(message.date * 1000));
  meta.title = app.info.tz;
  meta.textContent = message.edited ? `已编辑 edited · ${time}` : time;
  bubble.append(meta);
  const stack = document.createElement("div");
  stack.className = "stack";
  stack.append(bubble);
  const keyboard = inlineKeyboard(message);
  if (keyboard) stack.append(keyboard);
  row.append(stack);
  return row;
}

function renderMessages(messages, isGroup) {
  const key = JSON.stringify([app.persona.user_id, messages]);
  if (key === app.renderedKey) return;
  app.renderedKey = key;
  if (!messages.length) {
    const empty = document.createElement("div");
    empty.className = "empty";
    empty.textContent = app.chatId === null ? "发送 /start 开始 · Send /start to begin" : "还没有消息 No messages yet";
    ui.list.replaceChildren(empty);
    app.lastId = 0;
    return;
  }
  ui.list.replaceChildren(...messages.map((m) => messageRow(m, isGroup)));
  const last = messages[messages.length - 1];
  const arrived = last.message_id > app.lastId;
  app.lastId = last.message_id;
  if (arrived && last.from?.id === app.persona.user_id) app.follow = true; // one's own message
  if (app.follow) scrollToBottom();
  else if (arrived) showNewMessagesMarker();
  if (app.follow) markSeen(currentChatId(), app.lastId);
}

// ---- following the newest message ----------------------------------------------------------
// The view stays at the bottom unless the person scrolls up; then new messages show a
// marker instead. Heights change after rendering too (a photo loads, an edit, the reply
// keyboard appears and the message area shrinks): a ResizeObserver keeps following.
const NEAR_BOTTOM_PX = 40;
// Where the area was left (by the person or by following), and how tall it was then.
const place = { top: 0, height: 0, view: 0 };

function nearBottom() {
  const box = ui.messages;
  return box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
}

function remember() {
  place.top = ui.messages.scrollTop;
  place.height = ui.messages.scrollHeight;
  place.view = ui.messages.clientHeight;
}

function scrollToBottom() {
  ui.messages.scrollTop = ui.messages.scrollHeight;
  remember(); // its scroll event comes a frame later and must not read as the person's
  ui.newMessages.hidden = true;
}

function followAgain() {
  app.follow = true;
  app.lastId = 0;
  ui.newMessages.hidden = true;
}

function showNewMessagesMarker() {
  const main = document.getElementById("main");
  const below = main.clientHeight - ui.messages.offsetTop - ui.messages.clientHeight;
  ui.newMessages.style.bottom = `${below + 12}px`;
  ui.newMessages.hidden = false;
}

// A scroll event comes a frame after the scroll. Only the person scrolling up stops the
// following: a scroll up while the content or the area changed size (the browser moving
// the view to fit a shorter transcript, a reply keyboard appearing) is not theirs.
ui.messages.addEventListener("scroll", () => {
  const box = ui.messages;
  const resized = box.scrollHeight !== place.height || box.clientHeight !== place.view;
  if (box.scrollTop < place.top - 1 && !resized && !nearBottom()) app.follow = false;
  if (nearBottom()) app.follow = true;
  if (app.follow && resized) scrollToBottom();
  remember();
  if (app.follow) {
    ui.newMessages.hidden = true;
    if (app.persona && app.lastId) markSeen(currentChatId(), app.lastId);
  }
});
new ResizeObserver(() => {
  if (app.follow) scrollToBottom();
}).observe(ui.list);
new ResizeObserver(() => {
  if (app.follow) scrollToBottom();
  else if (!ui.newMessages.hidden) showNewMessagesMarker();
}).observe(ui.messages);
ui.newMessages.addEventListener("click", () => {
  app.follow = true;
  scrollToBottom();
});

// ---- unread counts ---------------------------------------------------------------------
// What a persona has seen is kept per transcript (the stand's epoch: ids start again at 1
// after a reset) in localStorage, as the newest message id seen in each chat.
function seenKey(chatId) {
  return `webchat.seen.${app.info.epoch}.${app.persona.user_id}.${chatId}`;
}

function markSeen(chatId, messageId) {
  if (messageId > Number(localStorage.getItem(seenKey(chatId)) || 0)) {
    localStorage.setItem(seenKey(chatId), String(messageId));
  }
}

function unreadIn(chatId, messages) {
  const seen = Number(localStorage.getItem(seenKey(chatId)) || 0);
  return messages.filter((m) => m.message_id > seen && m.from?.id !== app.persona.user_id).length;
}

async function countUnread() {
  const me = app.persona.user_id;
  const chats = [[null, me]];
  for (const group of groupsOf(app.world)) {
    const status = group.members[String(me)];
    if (status && !["left", "kicked"].includes(status)) chats.push([group.id, group.id]);
  }
  const counts = await Promise.all(
    chats.map(async ([id, chatId]) => {
      if (id === app.chatId || !chatInfo(chatId)) return [chatKey(id), 0];
      const response = await fetch(`/sim/chat/${chatId}`);
      return [chatKey(id), response.ok ? unreadIn(chatId, await response.json()) : 0];
    }),
  );
  app.unread = new Map(counts);
}

function renderReplyKeyboard(rows) {
  const key = JSON.stringify(rows || null);
  if (key === app.replyKey) return;
  app.replyKey = key;
  ui.replyKeyboard.hidden = !rows?.length;
  ui.replyKeyboard.replaceChildren(
    ...(rows || []).map((labels) => {
      const line = document.createElement("div");
      line.className = "kb-row";
      for (const label of labels) {
        const b = document.createElement("button");
        b.type = "button";
        b.textContent = label;
        b.addEventListener("click", () => sendText(label));
        line.append(b);
      }
      return line;
    }),
  );
}

function renderHeader() {
  if (app.chatId === null) {
    ui.title.textContent = app.world?.bot?.first_name || "网格通";
    ui.sub.textContent = `机器人 bot · @${app.world?.bot?.username || ""}`;
    ui.addMember.hidden = true;
    return;
  }
  const chat = chatInfo(app.chatId);
  ui.title.textContent = chat?.title || `群 ${app.chatId}`;
  const count = chat ? Object.values(chat.members).filter((s) => !["left", "kicked"].includes(s)).length : 0;
  ui.sub.textContent = `${chat?.type === "supergroup" ? "超级群 supergroup" : "群 group"} · ${count} 位成员 members`;
  ui.addMember.hidden = false;
}

// ---- the polling loop --------------------------------------------------------------------
let refreshing = null;
async function refresh(force) {
  if (!app.persona) return;
  if (refreshing && !force) return refreshing;
  refreshing = (async () => {
    try {
      app.world = await call("GET", "/sim/state");
      const migrated = app.chatId !== null && chatInfo(app.chatId)?.migrated_to;
      if (migrated) app.chatId = migrated;
      await countUnread();
      renderChatList();
      renderHeader();
      const chatId = currentChatId();
      const chat = chatInfo(chatId);
      const response = await fetch(`/sim/chat/${chatId}`);
      const messages = response.ok ? await response.json() : [];
      renderMessages(messages, app.chatId !== null);
      renderReplyKeyboard(chat?.reply_keyboard);
    } catch (error) {
      ui.sub.textContent = `连接中断 Stand unreachable: ${error.message}`;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

// ---- what the persona does ----------------------------------------------------------------
async function sendText(text) {
  if (!text.trim()) return;
  await act("/sim/message", { text });
}

// A deep link to this bot (t.me/<bot>?start=<payload>) does what Telegram does: it opens the
// private chat with the bot and sends "/start <payload>" there.
function startPayloadOf(url) {
  const bot = app.world?.bot?.username;
  const match = /^https:\/\/t\.me\/([A-Za-z0-9_]+)\?start=([A-Za-z0-9_-]{1,64})$/.exec(url);
  return match && bot && match[1].toLowerCase() === bot.toLowerCase() ? match[2] : null;
}

async function tapButton(message, button, element) {
  if (button.url) {
    const payload = startPayloadOf(button.url);
    if (payload) {
      openChat(null); // the private chat with the bot
      await act("/sim/message", { text: `/start ${payload}` });
    } else if (SAFE_URL.test(button.url)) {
      window.open(button.url, "_blank", "noopener");
    }
    return;
  }
  if (button.callback_data === undefined) {
    showToast("此按钮在沙盒中不可用 This button does nothing in the sandbox", true);
    return;
  }
  element.disabled = true;
  const result = await act("/sim/callback", { data: button.callback_data, message_id: message.message_id });
  element.disabled = false;
  if (result?.callback_query_id) showCallbackAnswer(result.callback_query_id);
}

// The bot's answerCallbackQuery text, as Telegram shows it: a toast.
async function showCallbackAnswer(id) {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 300));
    const state = await call("GET", `/sim/callback/${encodeURIComponent(id)}`).catch(() => null);
    if (state?.answered) {
      if (state.answer?.text) showToast(state.answer.text, false, state.answer.show_alert);
      return;
    }
  }
}

// A picture to send when there is no file at hand: a drawn "street scene" PNG.
function samplePhoto() {
  const canvas = document.createElement("canvas");
  canvas.width = 480;
  canvas.height = 320;
  const g = canvas.getContext("2d");
  const sky = g.createLinearGradient(0, 0, 0, 320);
  sky.addColorStop(0, "#9fd3ff");
  sky.addColorStop(1, "#e8f4ff");
  g.fillStyle = sky;
  g.fillRect(0, 0, 480, 320);
  g.fillStyle = "#c9b79c";
  g.fillRect(40, 90, 150, 170);
  g.fillRect(280, 60, 160, 200);
  g.fillStyle = "#6d6d6d";
  g.fillRect(0, 250, 480, 70);
  g.fillStyle = "#3b7d3b";
  g.beginPath();
  g.arc(230, 275, 26, 0, Math.PI * 2);
  g.fill();
  g.fillStyle = "#222";
  g.font = "bold 22px sans-serif";
  g.fillText(`示例照片 Sample · ${clockTime(new Date())}`, 24, 40);
  return canvas.toDataURL("image/png").split(",")[1];
}

async function sendPhoto(file) {
  const caption = ui.text.value.trim();
  const extra = caption ? { caption } : {};
  if (file) {
    const buffer = new Uint8Array(await file.arrayBuffer());
    let binary = "";
    for (let i = 0; i < buffer.length; i += 0x8000) {
      binary += String.fromCharCode(...buffer.subarray(i, i + 0x8000));
    }
    extra.content_base64 = btoa(binary);
  } else {
    extra.content_base64 = samplePhoto();
  }
  if (await act("/sim/photo", extra)) ui.text.value = "";
}

async function sendLocation(latitude, longitude) {
  await act("/sim/location", { latitude, longitude });
}

let toastTimer = null;
function showToast(text, isError = false, sticky = false) {
  ui.toast.textContent = text;
  ui.toast.className = isError ? "error" : "";
  ui.toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { ui.toast.hidden = true; }, sticky ? 6000 : 2500);
}

// ---- wiring ------------------------------------------------------------------------------
ui.composer.addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = ui.text.value;
  if (!text.trim()) return;
  ui.text.value = "";
  await sendText(text);
});
ui.text.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ui.composer.requestSubmit();
  }
});
for (const picker of [ui.persona, ui.personaQuick]) {
  picker.addEventListener("change", () => {
    choosePersona(app.personas.find((p) => String(p.user_id) === picker.value));
  });
}
document.getElementById("guide-close").addEventListener("click", () => {
  localStorage.setItem("webchat.guide.dismissed", "1");
  ui.guide.hidden = true;
});
ui.showGuide.addEventListener("click", () => {
  localStorage.removeItem("webchat.guide.dismissed");
  renderGuide();
  ui.app.classList.remove("show-sidebar");
});
document.getElementById("notice-close").addEventListener("click", () => {
  ui.notice.hidden = true;
});
document.getElementById("new-persona").addEventListener("click", newPersona);
document.getElementById("new-group").addEventListener("click", newGroup);
document.getElementById("menu").addEventListener("click", () => ui.app.classList.toggle("show-sidebar"));
ui.addMember.addEventListener("click", addMember);
document.getElementById("attach").addEventListener("click", () => {
  ui.attachMenu.hidden = !ui.attachMenu.hidden;
});
ui.attachMenu.addEventListener("click", async (event) => {
  const action = event.target.closest("button")?.dataset.action;
  ui.attachMenu.hidden = true;
  if (action === "upload") ui.photoFile.click();
  if (action === "sample") await sendPhoto(null);
  if (action === "here") await sendLocation(PRESET_LOCATION.latitude, PRESET_LOCATION.longitude);
  if (action === "custom") {
    const answer = prompt("纬度,经度 Latitude,longitude", `${PRESET_LOCATION.latitude},${PRESET_LOCATION.longitude}`);
    const [lat, lon] = (answer || "").split(/[,，\s]+/).map(Number);
    if (Number.isFinite(lat) && Number.isFinite(lon)) await sendLocation(lat, lon);
    else if (answer) showToast("坐标格式不对 Use: 39.09,117.31", true);
  }
});
ui.photoFile.addEventListener("change", async () => {
  const file = ui.photoFile.files[0];
  ui.photoFile.value = "";
  if (file) await sendPhoto(file);
});
document.addEventListener("click", (event) => {
  if (!event.target.closest(".attach-wrap")) ui.attachMenu.hidden = true;
});

loadInfo()
  .then(loadPersonas)
  .then(() => setInterval(() => refresh(false), POLL_MS));
