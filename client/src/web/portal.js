// The Merit portal in the browser: live updates of the block height and of leaderboards, and the
// classify page. A volunteer's key is an Ed25519 key made by WebCrypto in this browser and kept in
// IndexedDB (not extractable): the page signs each feeless action and the server only relays it.
"use strict";

function say(text) { document.getElementById("status").textContent = text; }
const utf8 = (s) => new TextEncoder().encode(s);
const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s) => Uint8Array.from(s.replace(/^0x/, "").match(/../g).map((x) => parseInt(x, 16)));
function concat(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}
function u32le(n) { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, n, true); return b; }
function u64le(n) { const b = new Uint8Array(8); new DataView(b.buffer).setBigUint64(0, BigInt(n), true); return b; }

// The volunteer's key pair, made once and kept in IndexedDB.
function keyStore() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("merit-volunteer", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("keys");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
async function volunteerKey() {
  const db = await keyStore();
  const get = (k) => new Promise((res, rej) => {
    const r = db.transaction("keys").objectStore("keys").get(k);
    r.onsuccess = () => res(r.result); r.onerror = () => rej(r.error);
  });
  let pair = await get("ed25519");
  if (!pair) {
    pair = await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"]);
    await new Promise((res, rej) => {
      const t = db.transaction("keys", "readwrite");
      t.objectStore("keys").put(pair, "ed25519");
      t.oncomplete = res; t.onerror = () => rej(t.error);
    });
  }
  const publicKey = new Uint8Array(await crypto.subtle.exportKey("raw", pair.publicKey));
  return { pair, publicKey };
}

async function classify(root) {
  const campaign = Number(root.dataset.campaign);
  const genesis = unhex(root.dataset.genesis);
  const { pair, publicKey } = await volunteerKey();
  const me = "0x" + hex(publicKey);
  const sealsKey = `merit-seals-${root.dataset.genesis}-${campaign}-${me}`;
  const loadSeals = () => JSON.parse(localStorage.getItem(sealsKey) || "[]");
  const saveSeals = (s) => localStorage.setItem(sealsKey, JSON.stringify(s));
  const buttons = Array.from(document.querySelectorAll("#answers button"));
  const enable = (on) => buttons.forEach((b) => { b.disabled = !on; });
  let current = null;
  let classified = 0;

  // Signs an action (the bytes `feeless_message` builds on chain) and asks the server to relay it.
  async function act(kind, fields, actionBytes) {
    const headNow = await (await fetch("/api/head")).json();
    const validUntil = headNow.best + 20;
    const message = concat(utf8("merit/volunteer/v1"), genesis, u32le(campaign), u64le(validUntil), actionBytes);
    const signature = new Uint8Array(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, message));
    const body = { volunteer: me, valid_until: validUntil, action: kind, signature: hex(signature), ...fields };
    const r = await fetch(`/api/campaign/${campaign}/act`, {
      method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body),
    });
    const answer = await r.json();
    if (!r.ok) throw new Error(answer.error || `the server answered ${r.status}`);
    return answer;
  }

  async function status() {
    const subjects = loadSeals().map((s) => s.subject).join(",");
    const r = await fetch(`/api/campaign/${campaign}/volunteer/${me}?subjects=${subjects}`);
    const answer = await r.json();
    if (!r.ok) throw new Error(answer.error);
    document.getElementById("me").innerHTML = `You are <a id="my-account" href="/account/${answer.account}">${answer.account}</a>.`;
    return answer;
  }

  // Reveals every sealed answer the chain now accepts, with gold feedback.
  async function revealReady(seals) {
    const keep = [];
    for (const saved of loadSeals()) {
      const s = seals.find((x) => x.subject === saved.subject);
      if (!s || s.state === "sealed" || s.state === "none") { keep.push(saved); continue; }
      if (s.state !== "ready") continue;
      try {
        await act("reveal", { subject: saved.subject, answer: saved.answer, salt: saved.salt },
          concat([2], u32le(saved.subject), [saved.answer], unhex(saved.salt)));
        if (s.truth !== null && s.truth !== undefined) {
          const li = document.createElement("li");
          li.className = "gold";
          li.textContent = `gold subject ${saved.subject}: you said ${saved.answer}, ` +
            (saved.answer === s.truth ? "right" : `the answer was ${s.truth}`);
          document.getElementById("feedback").appendChild(li);
        }
      } catch (e) { keep.push(saved); }
    }
    saveSeals(keep);
  }

  function show(subject) {
    current = subject;
    document.getElementById("subject-image").src = `/campaign/${campaign}/subject/${subject}.svg`;
    document.getElementById("subject").textContent = `subject ${subject}`;
    root.dataset.subject = String(subject);
    enable(true);
  }

  async function next() {
    enable(false);
    const st = await status();
    await revealReady(st.seals);
    let subject = st.assignment;
    if (subject === null || subject === undefined) {
      try {
        subject = (await act("next", {}, new Uint8Array([0]))).assigned;
      } catch (e) {
        if (/NothingToClassify/.test(e.message)) { say("Nothing to classify right now; checking again shortly."); setTimeout(next, 5000); return; }
        throw e;
      }
    }
    if (subject === null || subject === undefined) { say("Nothing to classify right now."); setTimeout(next, 5000); return; }
    show(subject);
  }

  buttons.forEach((button) => button.addEventListener("click", async () => {
    enable(false);
    const subject = current;
    const answer = Number(button.dataset.answer);
    const salt = crypto.getRandomValues(new Uint8Array(32));
    const seal = new Uint8Array(await crypto.subtle.digest("SHA-256",
      concat(utf8("merit/campaign-answer/v1"), u32le(campaign), u32le(subject), publicKey, [answer], salt)));
    const seals = loadSeals();
    seals.push({ subject, answer, salt: hex(salt) });
    saveSeals(seals);
    say(`sealing your answer to subject ${subject}…`);
    try {
      await act("classify", { subject, seal: hex(seal) }, concat([1], u32le(subject), seal));
      classified += 1;
      root.dataset.classified = String(classified);
      say(`Subject ${subject}: your answer is sealed on chain (${classified} this session). It is revealed when the subject's round is full.`);
    } catch (e) {
      say(`Subject ${subject} was not classified: ${e.message}`);
    }
    await next();
  }));

  // Answers become revealable while the volunteer looks at the next subject: reveal them then too.
  setInterval(async () => {
    try { await revealReady((await status()).seals); } catch (e) { /* the next pass tries again */ }
  }, 15000);
  await next();
}

// Runs once every helper above is defined.
(function () {
  const head = document.querySelector("[data-live-head]");
  async function refreshHead() {
    try {
      const h = await (await fetch("/api/head")).json();
      head.textContent = `best #${h.best} · finalized #${h.finalized}`;
    } catch (e) {
      head.textContent = "node unreachable";
    }
  }
  if (head) { refreshHead(); setInterval(refreshHead, 3000); }
  for (const el of document.querySelectorAll("[data-live]")) {
    setInterval(async () => {
      try {
        const r = await fetch(el.dataset.live);
        if (r.ok) el.innerHTML = await r.text();
      } catch (e) { /* the next refresh tries again */ }
    }, 4000);
  }
  const root = document.getElementById("classify");
  if (root) classify(root).catch((e) => say(`error: ${e.message || e}`));
})();
