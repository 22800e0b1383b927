// yuefu page: asks /api/models for the models, streams a poem from /api/generate/stream (Server-Sent Events read
// through fetch, so a refusal such as 400 or 429 arrives with its message), and draws it character by character.
"use strict";

const $ = (id) => document.getElementById(id);
const els = {
  form: $("controls"), model: $("model"), opening: $("opening"), poemForm: $("form"), rhyme: $("rhyme"),
  tones: $("tones"), temperature: $("temperature"), temperatureValue: $("temperature-value"),
  topK: $("top_k"), topP: $("top_p"), beam: $("beam"), seed: $("seed"),
  write: $("write"), status: $("status"), paper: $("paper"), poem: $("poem"),
  layout: $("layout"), copy: $("copy"), report: $("report"), reportList: $("report-list"),
};
const CLAUSE_END = "，。！？；、,.!?;";
const LINE_END = "。！？；.!?;";
const PLACEHOLDERS = { start: "一个字，如 月", acrostic: "每句首字，如 春夏秋冬", prefix: "开头的诗句", none: "" };
const FORM_NAMES = { wujue: "五言绝句", qijue: "七言绝句", wulv: "五言律诗", qilv: "七言律诗" };
const REPORT_LABELS = {
  form: "体裁 form", form_ok: "合式 form ok", form_problem: "问题 problem", rhyme_groups: "韵部 rhyme groups",
  rhymes: "押韵 rhymes", tone_match: "平仄 tone match", tone_pattern: "格律 pattern", repeated: "重字 repeated",
  tokens: "字数 tokens", relaxed: "放宽 relaxed", copied: "袭用 copied",
};
let current = null;        // AbortController of the poem being written
let finalText = "";

function mode() { return els.form.querySelector("input[name=mode]:checked").value; }

function setStatus(text, isError) {
  els.status.textContent = text;
  els.status.classList.toggle("error", !!isError);
}

async function loadModels() {
  try {
    const r = await fetch("api/models");
    const body = await r.json();
    els.model.replaceChildren(...body.models.map((m) => {
      const o = document.createElement("option");
      o.value = m.name;
      const c = m.config || {};
      o.textContent = c.cell ? `${m.name} · ${String(c.cell).toLowerCase()} ${c.layers}×${c.hidden}` : m.name;
      return o;
    }));
    if (body.limits) els.beam.max = body.limits.max_beam;
    setStatus(body.models.length + " 个模型可用");
  } catch (e) {
    setStatus("无法读取模型列表: " + e, true);
  }
}

function params() {
  const p = new URLSearchParams();
  p.set("model", els.model.value);
  const text = els.opening.value.trim();
  const m = mode();
  if (m !== "none" && text) p.set(m, text);
  p.set("form", els.poemForm.value);
  if (els.poemForm.value !== "free" || m === "acrostic") {   // rhyme and tones need a form
    p.set("rhyme", els.rhyme.checked);
    p.set("tones", els.tones.value);
  }
  p.set("temperature", els.temperature.value);
  if (Number(els.topK.value) > 0) p.set("top_k", els.topK.value);
  if (Number(els.topP.value) < 1) p.set("top_p", els.topP.value);
  if (Number(els.beam.value) > 1) p.set("beam", els.beam.value);
  if (els.seed.value !== "") p.set("seed", els.seed.value);
  return p;
}

// ---- drawing: one <p> per couplet (a line ends at 。！？；), one <span class="clause"> per clause inside it (a
// column of its own in vertical layout), each character its own fading span

function clearPoem() {
  els.poem.replaceChildren(document.createElement("p"));
  els.poem.dataset.state = "writing";
  els.poem.dataset.text = "";
  finalText = "";
  els.report.hidden = true;
  els.copy.disabled = true;
}

function addText(text) {
  for (const ch of text) {
    if (ch === "\n") { els.poem.append(document.createElement("p")); continue; }
    const line = els.poem.lastElementChild;
    let clause = line.lastElementChild;
    if (!clause || clause.dataset.closed) {
      clause = document.createElement("span");
      clause.className = "clause";
      line.append(clause);
    }
    const span = document.createElement("span");
    span.className = CLAUSE_END.includes(ch) ? "ch punct" : "ch";
    span.textContent = ch;
    clause.append(span);
    if (CLAUSE_END.includes(ch)) clause.dataset.closed = "1";
    if (LINE_END.includes(ch)) els.poem.append(document.createElement("p"));
  }
}

function finishPoem(poem) {
  // Redraw from the final text: a beam search may settle on other characters than those streamed.
  els.poem.replaceChildren(document.createElement("p"));
  addText(poem.text);
  if (!els.poem.lastElementChild.textContent) els.poem.lastElementChild.remove();
  finalText = poem.text;
  els.poem.dataset.text = poem.text;
  els.poem.dataset.state = "done";
  els.copy.disabled = false;
  showReport(poem);
}

function showReport(poem) {
  const rows = [["对数概率 logprob", fmt(poem.logprob)], ["困惑度 perplexity", fmt(poem.perplexity)],
                ["种子 seed", poem.seed], ["用时 time", poem.elapsed_ms + " ms"]];
  const report = poem.report;
  if (report && typeof report === "object") {
    for (const [k, v] of Object.entries(report)) {
      const value = k === "form" ? (FORM_NAMES[v] || v || "自由 free")
                  : k === "tone_match" && typeof v === "number" ? Math.round(100 * v) + "%" : v;
      rows.push([REPORT_LABELS[k] || k.replace(/_/g, " "), value]);
    }
  }
  els.reportList.replaceChildren(...rows.flatMap(([k, v]) => {
    const dt = document.createElement("dt");
    dt.textContent = k;
    const dd = document.createElement("dd");
    if (typeof v === "boolean") {
      dd.textContent = v ? "✓" : "✗";
      dd.className = v ? "ok" : "bad";
    } else {
      dd.textContent = show(v);
    }
    return [dt, dd];
  }));
  els.report.hidden = false;
}

function fmt(x) { return typeof x === "number" ? (Math.abs(x) >= 100 ? x.toFixed(1) : x.toFixed(3)) : String(x); }
function show(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : fmt(v);
  if (Array.isArray(v)) return v.map(show).join(" ");
  if (typeof v === "object") return Object.entries(v).map(([k, x]) => k + ": " + show(x)).join("， ");
  return String(v);
}

// ---- streaming

async function write(event) {
  event.preventDefault();
  if (current) current.abort();
  const controller = new AbortController();
  current = controller;
  els.write.disabled = true;
  setStatus("落笔…");
  clearPoem();
  try {
    const r = await fetch("api/generate/stream?" + params(), { signal: controller.signal, headers: { Accept: "text/event-stream" } });
    if (!r.ok) {
      const body = await r.json().catch(() => ({ error: r.statusText }));
      throw new Error(body.error + (r.status === 429 ? "（稍候再试）" : ""));
    }
    await readEvents(r.body, (name, data) => {
      if (name === "token") addText(data.text);
      else if (name === "poem") { finishPoem(data); setStatus("成诗 · " + data.elapsed_ms + " ms"); }
      else if (name === "error") throw new Error(data.error);
    });
    if (els.poem.dataset.state !== "done") throw new Error("the stream ended before the poem");
  } catch (e) {
    if (e.name !== "AbortError") {
      els.poem.dataset.state = "error";
      setStatus(e.message, true);
    }
  } finally {
    if (current === controller) { current = null; els.write.disabled = false; }
  }
}

/** Parses a text/event-stream body: blocks separated by a blank line, "event:" and "data:" fields. */
async function readEvents(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      let name = "message", data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) name = line.slice(6).trim();
        else if (line.startsWith("data:")) data += line.slice(5).trim();
      }
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

// ---- small controls

function toggleLayout() {
  const vertical = els.paper.classList.toggle("vertical");
  els.paper.classList.toggle("horizontal", !vertical);
  els.layout.setAttribute("aria-pressed", String(vertical));
}

async function copyPoem() {
  const text = poemLines(finalText).join("\n");
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const t = document.createElement("textarea");
    t.value = text;
    document.body.append(t);
    t.select();
    document.execCommand("copy");
    t.remove();
  }
  setStatus("已复制 · copied");
}

function poemLines(text) {
  const lines = [];
  let line = "";
  for (const ch of text) {
    line += ch;
    if (LINE_END.includes(ch)) { lines.push(line); line = ""; }
  }
  if (line) lines.push(line);
  return lines;
}

for (const radio of els.form.querySelectorAll("input[name=mode]")) {
  radio.addEventListener("change", () => {
    const m = mode();
    els.opening.placeholder = PLACEHOLDERS[m];
    els.opening.disabled = m === "none";
    els.opening.maxLength = m === "start" ? 1 : m === "acrostic" ? 8 : 64;
    if (m === "start") els.opening.value = [...els.opening.value][0] || "";
  });
}
els.opening.maxLength = 1;
els.temperature.addEventListener("input", () => { els.temperature.value && (els.temperatureValue.textContent = Number(els.temperature.value).toFixed(2)); });
els.form.addEventListener("submit", write);
els.layout.addEventListener("click", toggleLayout);
els.copy.addEventListener("click", copyPoem);
loadModels();
