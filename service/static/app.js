// policyqa staff page. Every piece of document or query text is inserted as a text node.
"use strict";

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

function filters() {
  const f = {};
  if ($("f-region").value) f.region = $("f-region").value;
  if ($("f-year").value) f.year = $("f-year").value;
  if ($("f-type").value) f.doc_type = $("f-type").value;
  return f;
}

// the staff member's token (kept for this browser tab only): internal documents need one
function auth() {
  const token = sessionStorage.getItem("policyqa-token");
  return token ? { Authorization: `Bearer ${token}` } : {};
}

async function post(url, body) {
  const resp = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json", ...auth() }, body: JSON.stringify(body) });
  const data = await resp.json();
  if (!resp.ok) throw new Error(data.error || `请求失败 (${resp.status})`);
  return data;
}

// text with the given terms wrapped in <mark>, built from text nodes
function highlighted(text, terms) {
  const frag = document.createDocumentFragment();
  const words = [...new Set(terms.filter((t) => t && t.length > 0))].sort((a, b) => b.length - a.length);
  if (!words.length) { frag.append(text); return frag; }
  const lower = text.toLowerCase();
  let i = 0;
  while (i < text.length) {
    let hit = null;
    for (const w of words) if (lower.startsWith(w.toLowerCase(), i)) { hit = w; break; }
    if (hit) { frag.append(el("mark", {}, text.slice(i, i + hit.length))); i += hit.length; }
    else {
      let j = i + 1;
      while (j < text.length && !words.some((w) => lower.startsWith(w.toLowerCase(), j))) j++;
      frag.append(text.slice(i, j)); i = j;
    }
  }
  return frag;
}

// a document no longer in force is marked wherever it is shown
const OUTDATED = new Set(["已废止", "已失效", "被替代"]);
function statusBadge(r) {
  return OUTDATED.has(r.status) ? [el("span", { class: "outdated", title: "该文件已不再现行有效" }, r.status)] : [];
}

function metaLine(r) {
  const parts = [r.doc_number, r.date, r.region, r.doc_type].filter(Boolean);
  return el("p", { class: "meta" }, ...statusBadge(r), ...parts.map((p) => el("span", {}, p)));
}

// annex table rows ([[name, value], ...] each, one header) shown as a table: the names over the cells
function tableOf(rows, cls, cell = (value) => value) {
  return el("table", { class: cls },
    el("thead", {}, el("tr", {}, ...rows[0].map(([name]) => el("th", {}, name)))),
    el("tbody", {}, ...rows.map((row) => el("tr", {}, ...row.map(([, value]) => el("td", {}, cell(value)))))));
}

// a cited annex table row under its header
function rowTable(fields) {
  return tableOf([fields], "row");
}

// a piece of an annex table shows as a table: its rows under their header, a table for each header
function rowsTables(rows, terms) {
  const groups = [];
  for (const row of rows) {
    const names = row.map(([name]) => name).join("|");
    if (!groups.length || groups[groups.length - 1].names !== names) groups.push({ names, rows: [] });
    groups[groups.length - 1].rows.push(row);
  }
  return groups.map((g) => tableOf(g.rows, "row rows", (value) => highlighted(value, terms)));
}

// a [n] mark that opens the cited passage
function citeLink(c) {
  return el("a", { class: "cite", href: "#", "data-n": String(c.n), title: c.title, onclick: (e) => { e.preventDefault(); openDocument(c.doc_id, c.start, c.end); } }, `[${c.n}]`);
}

function renderAnswer(data) {
  const box = $("answer-text");
  box.replaceChildren();
  box.classList.toggle("declined", !data.answerable);
  const byN = new Map(data.citations.map((c) => [c.n, c]));
  // the precise answer ("答：不少于15人[1]") leads the text: shown once, as the highlighted first line
  const parts = data.comparison && data.comparison.length ? [] : data.answer.split(/(\[\d+\])/);
  if (data.direct && parts.length && parts[0].startsWith("答：")) parts[0] = parts[0].slice(2);
  for (const part of parts) {
    const m = part.match(/^\[(\d+)\]$/);
    if (m && byN.has(Number(m[1]))) {
      box.append(citeLink(byN.get(Number(m[1]))));
    } else if (part) box.append(part);
  }
  if (data.direct) {
    // wrap everything up to the first line break (the direct answer and its mark) as the lead line
    const lead = el("p", { class: "direct" });
    while (box.firstChild && !(box.firstChild.nodeType === 3 && box.firstChild.textContent.startsWith("\n"))) {
      lead.append(box.firstChild);
    }
    if (box.firstChild) box.firstChild.textContent = box.firstChild.textContent.slice(1);
    box.prepend(lead);
  }
  if (data.comparison && data.comparison.length) {
    // a comparison reads side by side: one row per place or document, its cited text or "未找到"
    box.append(el("table", { class: "row comparison" },
      el("thead", {}, el("tr", {}, el("th", {}, "对象"), el("th", {}, "文件内容"))),
      el("tbody", {}, ...data.comparison.map((r) => el("tr", { class: r.text ? "" : "missing" },
        el("th", {}, r.label),
        el("td", {}, r.text ?? "现有文件中未找到相关内容。",
          ...(r.citation && byN.has(r.citation) ? [" ", citeLink(byN.get(r.citation))] : [])))))));
  }
  const list = $("citations");
  list.replaceChildren(...data.citations.map((c) => el("li", { value: c.n },
    el("a", { onclick: () => openDocument(c.doc_id, c.start, c.end) }, `《${c.title}》`),
    ...statusBadge(c),
    c.section.length ? ` ${c.section.join(" > ")}` : "",
    c.page ? ` 第${c.page}页` : "",
    c.ocr ? " (OCR识别)" : "",
    ...uncertainNote(c),
    ...(c.fields && c.fields.length ? [rowTable(c.fields)] : []))));
  $("answer").classList.remove("hidden");
}

// characters OCR read with low confidence: named so they can be checked against the paper
function uncertainNote(c) {
  if (!c.uncertain || !c.uncertain.length) return [];
  const parts = c.uncertain.map(([a, b]) => el("mark", { class: "ocr-uncertain" }, c.quote.slice(a, b)));
  return [" 待核对：", ...parts.flatMap((m, i) => (i ? ["、", m] : [m]))];
}

function renderResults(data) {
  const list = $("results");
  list.replaceChildren(...data.results.map((r) => el("li", {},
    el("div", { class: "title" }, r.title),
    metaLine(r),
    el("div", { class: "section" }, r.section.length ? r.section.join(" > ") : "（文首）",
      r.page ? ` 第${r.page}页` : "", r.ocr ? " (OCR识别)" : ""),
    ...(r.rows && r.rows.length
      ? rowsTables(r.rows, r.matched_terms || [])
      : [el("div", { class: "text" }, snippet(r.text, r.matched_terms || [], r.uncertain || []))]),
    el("button", { class: "open", type: "button", onclick: () => openDocument(r.doc_id, r.start, r.end) }, "查看原文"))));
  $("results-section").classList.toggle("hidden", data.results.length === 0);
}

// a result's text: query terms highlighted, the stretches OCR was unsure of (offsets in the text) marked
function snippet(text, terms, uncertain) {
  const frag = document.createDocumentFragment();
  frag.append(...withUncertain(text, 0, text.length, uncertain,
    (s) => highlighted(s.replace(/\n{2,}/g, "\n"), terms)));
  return frag;
}

// text[from, to) as text nodes, with the stretches OCR was unsure of (document offsets) marked 待核对;
// ``plain`` renders the pieces in between (as they are by default)
function withUncertain(text, from, to, uncertain, plain = (s) => s) {
  const out = [];
  let i = from;
  for (const [a, b] of [...uncertain].sort((x, y) => x[0] - y[0])) {
    const s = Math.max(a, i), e = Math.min(b, to);
    if (s >= e) continue;
    if (s > i) out.push(plain(text.slice(i, s)));
    out.push(el("mark", { class: "ocr-uncertain", title: "OCR识别置信度低，请与原件核对" }, text.slice(s, e)));
    i = e;
  }
  if (i < to) out.push(plain(text.slice(i, to)));
  return out;
}

async function openDocument(docId, start, end) {
  const resp = await fetch(`/api/documents/${encodeURIComponent(docId)}`, { headers: auth() });
  const doc = await resp.json();
  if (!resp.ok) { $("status").textContent = doc.error || "无法打开原文"; return; }
  $("viewer-title").textContent = doc.meta.title || doc.source;
  const versions = [];  // compare with the edition that replaced it, or with the ones it replaced
  if (doc.superseded_by) versions.push(el("button", { type: "button", class: "compare", onclick: () => showDiff(doc.doc_id, doc.superseded_by) }, "与新版对比"));
  for (const older of doc.supersedes || []) versions.push(el("button", { type: "button", class: "compare", onclick: () => showDiff(older, doc.doc_id) }, "与旧版对比"));
  $("viewer-meta").replaceChildren(...statusBadge(doc), ...[doc.meta.issuer, doc.meta.doc_number, doc.meta.issued_date || doc.meta.published_date, doc.source].filter(Boolean).map((p) => el("span", {}, p)), ...versions);
  const unsure = doc.ocr_uncertain || [];
  const mark = el("mark", { class: "cited", id: "cited" }, ...withUncertain(doc.text, start, end, unsure));
  $("viewer-text").replaceChildren(...withUncertain(doc.text, 0, start, unsure), mark, ...withUncertain(doc.text, end, doc.text.length, unsure));
  $("viewer").classList.remove("hidden");
  mark.scrollIntoView({ block: "center" });
}

const CHANGE = { changed: "有变化", added: "新增", removed: "删除" };

// what changed between two editions, section by section, each side's text shown from its document
async function showDiff(oldId, newId) {
  const get = (url) => fetch(url, { headers: auth() }).then((r) => r.json().then((b) => { if (!r.ok) throw new Error(b.error); return b; }));
  try {
    const [diff, older, newer] = await Promise.all([
      get(`/api/documents/${encodeURIComponent(oldId)}/diff/${encodeURIComponent(newId)}`),
      get(`/api/documents/${encodeURIComponent(oldId)}`),
      get(`/api/documents/${encodeURIComponent(newId)}`),
    ]);
    $("viewer-title").textContent = `《${diff.old.title || diff.old.source}》→《${diff.new.title || diff.new.source}》`;
    const s = diff.summary;
    $("viewer-meta").replaceChildren(el("span", {}, `有变化 ${s.changed}，新增 ${s.added}，删除 ${s.removed}，未变 ${s.unchanged}`));
    const side = (label, doc, part) => part ? el("div", { class: "side" }, el("div", { class: "side-label" }, label), doc.text.slice(part.start, part.end)) : "";
    $("viewer-text").replaceChildren(...diff.sections.map((c) => el("div", { class: `diff ${c.change}` },
      el("h3", {}, `${CHANGE[c.change]}：${(c.new || c.old).title}`),
      side("旧版", older, c.old), side("新版", newer, c.new))));
    $("viewer").classList.remove("hidden");
  } catch (err) {
    $("status").textContent = `无法对比：${err.message}`;
  }
}

async function search(event) {
  event.preventDefault();
  const q = $("q").value.trim();
  if (!q) return;
  $("status").textContent = "检索中…";
  try {
    const f = filters();
    const [answer, results] = await Promise.all([
      post("/api/ask", { question: q, filters: f }),
      post("/api/search", { query: q, k: 10, filters: f }),
    ]);
    renderAnswer(answer);
    renderResults(results);
    $("status").textContent = answer.answerable ? "" : "文件中没有直接回答，以下为相关段落。";
  } catch (err) {
    $("status").textContent = err.message;
  }
}

async function loadFacets() {
  try {
    const resp = await fetch("/api/facets", { headers: auth() });
    const f = await resp.json();
    if (!resp.ok) { $("status").textContent = f.error || "无法读取筛选项"; return; }
    const fill = (id, values) => $(id).replaceChildren(el("option", { value: "" }, "全部"), ...values.map((v) => el("option", { value: v }, v)));
    fill("f-region", f.regions || []);
    fill("f-year", f.years || []);
    fill("f-type", f.doc_types || []);
  } catch (err) { /* filters stay at 全部 */ }
}

$("search-form").addEventListener("submit", search);
$("token").value = sessionStorage.getItem("policyqa-token") || "";
$("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  const token = $("token").value.trim();
  if (token) sessionStorage.setItem("policyqa-token", token); else sessionStorage.removeItem("policyqa-token");
  $("status").textContent = token ? "已使用令牌：可检索有权查看的内部文件。" : "未使用令牌：只检索公开文件。";
  loadFacets();
});
$("viewer-close").addEventListener("click", () => $("viewer").classList.add("hidden"));

// --- document management: shown when the token is an admin's ---------------------------------
async function loadAdmin() {
  if (!sessionStorage.getItem("policyqa-token")) { $("admin").classList.add("hidden"); return; }
  const resp = await fetch("/api/admin/documents", { headers: auth() });
  if (!resp.ok) { $("admin").classList.add("hidden"); return; }
  const data = await resp.json();
  $("admin").classList.remove("hidden");
  $("admin-docs").querySelector("tbody").replaceChildren(...data.documents.map((d) => el("tr", {},
    el("td", {}, d.source), el("td", {}, d.title || ""), el("td", {}, d.access), el("td", {}, d.chunks),
    el("td", {}, d.indexed ? "是" : "否"),
    el("td", {}, el("button", { type: "button", class: "remove", onclick: () => removeDocument(d) }, "删除")))));
  $("admin-events").replaceChildren(...data.events.slice(0, 20).map((e) =>
    el("li", { class: e.ok ? "ok" : "refused" }, `${e.at} ${e.action} ${e.source}：${e.ok ? "" : "未接受，"}${e.detail}`)));
}

async function removeDocument(d) {
  if (!window.confirm(`删除《${d.title || d.source}》？删除后立即从检索中移除。`)) return;
  const resp = await fetch(`/api/admin/documents/${encodeURIComponent(d.doc_id)}`, { method: "DELETE", headers: auth() });
  const body = await resp.json();
  $("admin-status").textContent = resp.ok ? `已删除 ${d.source}` : body.error;
  loadAdmin(); loadFacets();
}

function upload(event) {
  event.preventDefault();
  const file = $("upload-file").files[0];
  if (!file) return;
  const form = new FormData();
  form.append("file", file);
  form.append("access", $("upload-access").value);
  form.append("replace", $("upload-replace").checked ? "true" : "false");
  const xhr = new XMLHttpRequest();  // fetch has no upload progress
  xhr.open("POST", "/api/admin/documents");
  for (const [k, v] of Object.entries(auth())) xhr.setRequestHeader(k, v);
  const bar = $("upload-progress");
  bar.classList.remove("hidden"); bar.value = 0;
  xhr.upload.onprogress = (e) => { if (e.lengthComputable) bar.value = Math.round((e.loaded / e.total) * 100); };
  xhr.onload = () => {
    bar.classList.add("hidden");
    let body = {};
    try { body = JSON.parse(xhr.responseText); } catch (err) { body = { error: `上传失败 (${xhr.status})` }; }
    $("admin-status").textContent = xhr.status === 201
      ? `已上传 ${body.source}：${body.chunks} 个段落，已可检索（${body.seconds} 秒）`
      : `未接受：${body.error}`;
    loadAdmin(); loadFacets();
  };
  xhr.onerror = () => { bar.classList.add("hidden"); $("admin-status").textContent = "上传失败：网络错误"; };
  $("admin-status").textContent = "上传并建立索引中…";
  xhr.send(form);
}

$("upload-form").addEventListener("submit", upload);
$("token-form").addEventListener("submit", () => loadAdmin());
loadFacets();
loadAdmin();
