// Tessera dashboard: one page over the query API. Server-side filtering and cursor pagination,
// tenant selection kept in localStorage, filters in the URL, identical requests deduplicated
// and cached for a short TTL.
"use strict";

const STATUSES = {
  deployments: ["pending", "building", "active", "failed", "cancelled"],
  workflows: ["draft", "active", "paused", "archived"],
};
const PAGE_SIZE = 50;
const CACHE_TTL_MS = 30_000;
const $ = (id) => document.getElementById(id);

const state = {
  token: localStorage.getItem("tessera.token") || "",
  tenant: localStorage.getItem("tessera.tenant") || "",
  kind: "deployments",
  cursor: null,
  loaded: 0,
  generation: 0,
  loading: false,
};

const inFlight = new Map();
const cache = new Map();

async function api(path) {
  const key = state.tenant + " " + path;
  const cached = cache.get(key);
  if (cached && cached.expires > Date.now()) return cached.body;
  if (inFlight.has(key)) return inFlight.get(key);
  const request = fetch(path, {
    headers: { Authorization: "Bearer " + state.token, ...(state.tenant ? { "X-Tenant-ID": state.tenant } : {}) },
  })
    .then(async (response) => {
      const body = await response.json().catch(() => ({ success: false, error: { message: response.statusText } }));
      if (!response.ok || !body.success) throw new Error(body.error?.message || "Request failed (" + response.status + ")");
      cache.set(key, { body, expires: Date.now() + CACHE_TTL_MS });
      return body;
    })
    .finally(() => inFlight.delete(key));
  inFlight.set(key, request);
  return request;
}

function showMessage(text) {
  $("message").textContent = text || "";
}

function filtersFromUrl() {
  const params = new URLSearchParams(location.search);
  state.kind = params.get("kind") === "workflows" ? "workflows" : "deployments";
  for (const id of ["q", "status", "created_after", "created_before", "sort"]) {
    $(id).value = params.get(id) || (id === "sort" ? "-created_at" : "");
  }
}

function filtersToUrl() {
  const params = new URLSearchParams({ kind: state.kind });
  for (const id of ["q", "status", "created_after", "created_before", "sort"]) {
    if ($(id).value && !(id === "sort" && $(id).value === "-created_at")) params.set(id, $(id).value);
  }
  history.replaceState(null, "", "?" + params);
}

function listQuery() {
  const params = new URLSearchParams({ limit: PAGE_SIZE, sort: $("sort").value });
  if ($("q").value.trim()) params.set("q", $("q").value.trim());
  if ($("status").value) params.set("status", $("status").value);
  if ($("created_after").value) params.set("created_after", $("created_after").value + "T00:00:00Z");
  if ($("created_before").value) params.set("created_before", $("created_before").value + "T23:59:59Z");
  if (state.cursor) params.set("cursor", state.cursor);
  return "/api/" + state.kind + "?" + params;
}

function nameOf(item) {
  return item.project_name ?? item.name ?? item.id;
}

function formatTime(iso) {
  return iso ? new Date(iso).toLocaleString() : "";
}

function cell(text, className) {
  const td = document.createElement("td");
  if (className) {
    const badge = document.createElement("span");
    badge.className = "badge " + className;
    badge.textContent = text;
    td.append(badge);
  } else {
    td.textContent = text;
  }
  return td;
}

async function loadPage(reset) {
  if (state.loading && !reset) return;
  const generation = reset ? ++state.generation : state.generation;
  if (reset) {
    state.cursor = null;
    state.loaded = 0;
    $("rows").replaceChildren();
    $("detail").hidden = true;
  }
  if (!state.token) {
    showMessage("Add a bearer token to start.");
    return;
  }
  state.loading = true;
  try {
    const body = await api(listQuery());
    if (generation !== state.generation) return;
    showMessage("");
    for (const item of body.data) {
      const row = document.createElement("tr");
      row.dataset.id = item.id;
      row.append(cell(nameOf(item)), cell(item.status, item.status), cell(formatTime(item.created_at)), cell(formatTime(item.updated_at)));
      row.addEventListener("click", () => showDetail(item.id, row));
      $("rows").append(row);
    }
    state.loaded += body.data.length;
    state.cursor = body.pagination?.cursor || null;
    $("count").textContent = state.loaded + " of " + (body.pagination?.total ?? state.loaded);
    $("load-more").hidden = !state.cursor;
  } catch (error) {
    showMessage(error.message);
  } finally {
    if (generation === state.generation) state.loading = false;
  }
}

async function showDetail(id, row) {
  document.querySelectorAll("#rows tr.selected").forEach((r) => r.classList.remove("selected"));
  row.classList.add("selected");
  const panel = $("detail");
  panel.hidden = false;
  panel.textContent = "Loading…";
  try {
    const body = await api("/api/" + state.kind + "/" + encodeURIComponent(id));
    const title = document.createElement("h3");
    title.textContent = nameOf(body.data);
    const pre = document.createElement("pre");
    pre.textContent = JSON.stringify(body.data, null, 2);
    panel.replaceChildren(title, pre);
  } catch (error) {
    panel.textContent = error.message;
  }
}

async function loadStats() {
  const section = $("stats");
  section.replaceChildren();
  if (!state.token || !state.tenant) return;
  try {
    const body = await api("/api/tenants/" + encodeURIComponent(state.tenant) + "/stats");
    for (const [label, value] of flatten(body.data)) {
      const card = document.createElement("div");
      card.className = "card";
      const number = document.createElement("b");
      number.textContent = value;
      const caption = document.createElement("span");
      caption.textContent = label;
      card.append(number, caption);
      section.append(card);
    }
  } catch (error) {
    showMessage(error.message);
  }
}

function flatten(object, prefix = "") {
  const entries = [];
  for (const [key, value] of Object.entries(object || {})) {
    const label = (prefix ? prefix + " " : "") + key.replaceAll("_", " ");
    if (value && typeof value === "object") entries.push(...flatten(value, label));
    else if (typeof value === "number") entries.push([label, value]);
  }
  return entries;
}

async function loadTenants() {
  const select = $("tenant");
  select.replaceChildren();
  if (!state.token) return;
  try {
    const body = await api("/api/tenants");
    for (const tenant of body.data) {
      const option = document.createElement("option");
      option.value = tenant.id;
      option.textContent = tenant.name ? tenant.name + " (" + tenant.id + ")" : tenant.id;
      select.append(option);
    }
    if (![...select.options].some((o) => o.value === state.tenant)) state.tenant = body.tenant_id;
    select.value = state.tenant;
    localStorage.setItem("tessera.tenant", state.tenant);
  } catch (error) {
    showMessage(error.message);
  }
}

function fillStatuses() {
  const select = $("status");
  const current = select.value;
  select.replaceChildren(new Option("Any status", ""));
  for (const status of STATUSES[state.kind]) select.append(new Option(status, status));
  select.value = STATUSES[state.kind].includes(current) ? current : "";
}

function selectTab(kind) {
  state.kind = kind;
  document.querySelectorAll(".tabs button").forEach((b) => b.setAttribute("aria-selected", String(b.dataset.kind === kind)));
  fillStatuses();
}

function debounce(fn, ms) {
  let timer;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

function refreshList() {
  filtersToUrl();
  loadPage(true);
}

async function refreshAll() {
  await loadTenants();
  loadStats();
  refreshList();
}

function wire() {
  $("token-button").addEventListener("click", () => {
    $("token-input").value = state.token;
    $("token-dialog").showModal();
  });
  $("token-save").addEventListener("click", () => {
    state.token = $("token-input").value.trim();
    localStorage.setItem("tessera.token", state.token);
    cache.clear();
    refreshAll();
  });
  $("tenant").addEventListener("change", (event) => {
    state.tenant = event.target.value;
    localStorage.setItem("tessera.tenant", state.tenant);
    loadStats();
    refreshList();
  });
  document.querySelectorAll(".tabs button").forEach((button) =>
    button.addEventListener("click", () => {
      selectTab(button.dataset.kind);
      refreshList();
    }),
  );
  $("q").addEventListener("input", debounce(refreshList, 300));
  for (const id of ["status", "created_after", "created_before", "sort"]) $(id).addEventListener("change", refreshList);
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  $("load-more").addEventListener("click", () => loadPage(false));
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting) && state.cursor) loadPage(false);
  }).observe($("more"));
}

filtersFromUrl();
selectTab(state.kind);
filtersFromUrl();
wire();
refreshAll();
