// The Tessera dashboard: one page over the query API, with the user's token. Everything a view shows is in the
// URL (view, filters, paging mode, page, open row) so a filtered view can be shared; the token never is.
import { createApi, ApiError } from "./api.js";
import { $, h, formatTime, debounce } from "./dom.js";
import { openLiveStream } from "./live.js";
import { VirtualList } from "./virtual-list.js";

const TOKEN_KEY = "tessera.token";
const TENANT_KEY = "tessera.tenant";
const STATUSES = {
  deployments: ["pending", "building", "active", "failed", "cancelled"],
  workflows: ["draft", "active", "paused", "archived"],
};
const PAGE_SIZE = 50;
const SCROLL_BATCH = 100;
const SEARCH_DELAY_MS = 300;

// A token handed over once in ?token= is moved to sessionStorage and taken out of the URL before anything else.
takeTokenFromUrl();

const state = {
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  tenant: "",
  view: "deployments",
  filters: { q: "", status: "", from: "", to: "", sort: "-created_at" },
  mode: "scroll",
  page: 1,
  open: "",
  cursor: null,
  total: null,
  generation: 0,
  loading: false,
  live: null,
};

const api = createApi({
  token: () => state.token,
  tenant: () => state.tenant,
  onWait: (seconds) => showNotice(seconds > 0 ? `Rate limit reached: waiting ${seconds} s before the next request` : ""),
});

const list = new VirtualList($("viewport"), {
  rowHeight: 44,
  renderRow,
  onNearEnd: () => {
    if (state.mode === "scroll" && state.cursor && !state.loading) loadMore();
  },
});

function takeTokenFromUrl() {
  const url = new URL(location.href);
  const token = url.searchParams.get("token");
  if (token === null) return;
  if (token.trim()) sessionStorage.setItem(TOKEN_KEY, token.trim());
  url.searchParams.delete("token");
  history.replaceState(null, "", url.pathname + url.search + url.hash);
}

// ---- URL <-> state ----

function readUrl() {
  const params = new URLSearchParams(location.search);
  state.view = params.get("view") === "workflows" ? "workflows" : "deployments";
  const status = params.get("status") || "";
  state.filters = {
    q: params.get("q") || "",
    status: STATUSES[state.view].includes(status) ? status : "",
    from: validDate(params.get("from")),
    to: validDate(params.get("to")),
    sort: params.get("sort") === "created_at" ? "created_at" : "-created_at",
  };
  state.mode = params.get("mode") === "pages" ? "pages" : "scroll";
  state.page = Math.max(1, Number.parseInt(params.get("page") || "1", 10) || 1);
  state.open = params.get("open") || "";
}

function validDate(value) {
  return /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? value : "";
}

function writeUrl({ push = false } = {}) {
  const params = new URLSearchParams();
  if (state.view !== "deployments") params.set("view", state.view);
  for (const [key, value] of Object.entries(state.filters)) {
    if (value && !(key === "sort" && value === "-created_at")) params.set(key, value);
  }
  if (state.mode === "pages") {
    params.set("mode", "pages");
    if (state.page > 1) params.set("page", String(state.page));
  }
  if (state.open) params.set("open", state.open);
  const query = params.toString();
  const target = location.pathname + (query ? "?" + query : "");
  if (target === location.pathname + location.search) return;
  if (push) history.pushState(null, "", target);
  else history.replaceState(null, "", target);
}

function syncControls() {
  document.querySelectorAll(".tabs button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.view === state.view));
  });
  const status = $("status");
  status.replaceChildren(h("option", { value: "" }, "Any status"));
  for (const value of STATUSES[state.view]) status.append(h("option", { value }, value));
  $("q").value = state.filters.q;
  status.value = state.filters.status;
  $("from").value = state.filters.from;
  $("to").value = state.filters.to;
  $("sort").value = state.filters.sort;
  $("mode").value = state.mode;
}

function listPath({ cursor = null } = {}) {
  const params = new URLSearchParams();
  const { q, status, from, to, sort } = state.filters;
  if (q.trim()) params.set("q", q.trim());
  if (status) params.set("status", status);
  if (from) params.set("created_after", from + "T00:00:00Z");
  if (to) params.set("created_before", to + "T23:59:59Z");
  params.set("sort", sort);
  if (state.mode === "pages") {
    params.set("page", String(state.page));
    params.set("per_page", String(PAGE_SIZE));
  } else {
    params.set("limit", String(SCROLL_BATCH));
    if (cursor) params.set("cursor", cursor);
  }
  return `/api/${state.view}?${params}`;
}

// ---- messages and states ----

function showNotice(text) {
  $("message").textContent = text || "";
}

function showState(kind, text, action) {
  const box = $("state");
  if (!kind) {
    box.hidden = true;
    box.replaceChildren();
    delete box.dataset.kind;
    return;
  }
  box.hidden = false;
  box.dataset.kind = kind;
  box.replaceChildren(h("p", {}, text), action || "");
}

function failureText(error) {
  return error instanceof ApiError ? error.message : "Something went wrong: " + error;
}

function handleAuthFailure(error) {
  if (error instanceof ApiError && error.status === 401) {
    signOut("Your token was refused: " + error.message);
    return true;
  }
  return false;
}

// ---- the list ----

function nameOf(item) {
  return item.project_name ?? item.name ?? item.id;
}

function renderRow(item) {
  const row = h(
    "div",
    {
      className: "row" + (item.id === state.open ? " selected" : "") + (item.fresh ? " fresh" : ""),
      role: "row",
      tabindex: "0",
      dataset: { id: item.id },
      onclick: () => openDetail(item.id, { push: true }),
      onkeydown: (event) => {
        if (event.key === "Enter") openDetail(item.id, { push: true });
      },
    },
    h("span", { className: "name", role: "gridcell" }, nameOf(item)),
    h("span", { role: "gridcell" }, h("span", { className: "badge", dataset: { status: item.status } }, item.status)),
    h("span", { className: "time", role: "gridcell" }, formatTime(item.created_at)),
    h("span", { className: "time", role: "gridcell" }, formatTime(item.updated_at)),
  );
  return row;
}

async function loadList({ keepScroll = false, minPosition = 0 } = {}) {
  const generation = ++state.generation;
  state.loading = true;
  state.cursor = null;
  if (!keepScroll) {
    list.setItems([]);
    showState("loading", "Loading " + state.view + "…");
  }
  try {
    const body = await api.get(listPath(), { minPosition, fresh: keepScroll });
    if (generation !== state.generation) return;
    list.setItems(body.data, { keepScroll });
    state.cursor = state.mode === "scroll" ? body.pagination?.cursor || null : null;
    state.total = body.pagination?.total ?? null;
    if (state.mode === "pages" && body.pagination && state.page > Math.max(1, body.pagination.total_pages)) {
      state.page = Math.max(1, body.pagination.total_pages);
      writeUrl();
      state.loading = false;
      return loadList();
    }
    renderPager(body.pagination);
    if (body.data.length === 0) {
      const filtered = Object.entries(state.filters).some(([key, value]) => key !== "sort" && value);
      showState(
        "empty",
        filtered ? `No ${state.view} match these filters.` : `No ${state.view} yet.`,
        filtered ? h("button", { type: "button", className: "ghost", onclick: clearFilters }, "Clear filters") : null,
      );
    } else {
      showState(null);
    }
  } catch (error) {
    if (generation !== state.generation || handleAuthFailure(error)) return;
    list.setItems([]);
    renderPager(null);
    showState(
      "error",
      failureText(error),
      h("button", { type: "button", className: "ghost", onclick: () => loadList() }, "Retry"),
    );
  } finally {
    if (generation === state.generation) state.loading = false;
    renderCount();
  }
}

async function loadMore() {
  const generation = state.generation;
  state.loading = true;
  renderCount("Loading more…");
  try {
    const body = await api.get(listPath({ cursor: state.cursor }));
    if (generation !== state.generation) return;
    const known = new Set(list.items.map((item) => item.id));
    list.append(body.data.filter((item) => !known.has(item.id)));
    state.cursor = body.pagination?.cursor || null;
  } catch (error) {
    if (generation !== state.generation || handleAuthFailure(error)) return;
    showNotice(failureText(error));
  } finally {
    if (generation === state.generation) state.loading = false;
    renderCount();
  }
}

function renderCount(extra) {
  const shown = list.size;
  const total = state.total;
  let text = "";
  if (state.mode === "scroll") {
    text = total !== null ? `${shown} of ${total} loaded` : `${shown} loaded`;
    if (state.cursor) text += " · scroll for more";
  } else if (total !== null) {
    text = `${total} ${state.view}`;
  }
  $("count").textContent = extra ? text + " · " + extra : text;
}

function renderPager(pagination) {
  const pager = $("pager");
  pager.replaceChildren();
  if (state.mode !== "pages" || !pagination || pagination.total_pages <= 1) return;
  const current = pagination.page;
  const last = pagination.total_pages;
  const go = (page) => () => {
    state.page = page;
    state.open = "";
    closeDetailPanel();
    writeUrl({ push: true });
    loadList();
  };
  pager.append(h("button", { type: "button", className: "ghost", disabled: !pagination.has_prev, onclick: go(current - 1), "aria-label": "Previous page" }, "‹ Prev"));
  const pages = new Set([1, last, current - 2, current - 1, current, current + 1, current + 2]);
  let previous = 0;
  for (const page of [...pages].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b)) {
    if (page - previous > 1) pager.append(h("span", { className: "gap" }, "…"));
    pager.append(
      h(
        "button",
        {
          type: "button",
          className: page === current ? "page current" : "page ghost",
          "aria-current": page === current ? "page" : null,
          dataset: { page: String(page) },
          onclick: go(page),
        },
        String(page),
      ),
    );
    previous = page;
  }
  pager.append(h("button", { type: "button", className: "ghost", disabled: !pagination.has_next, onclick: go(current + 1), "aria-label": "Next page" }, "Next ›"));
}

function clearFilters() {
  state.filters = { q: "", status: "", from: "", to: "", sort: state.filters.sort };
  state.page = 1;
  syncControls();
  writeUrl({ push: true });
  loadList();
}

// ---- details with history ----

function closeDetailPanel() {
  $("detail").hidden = true;
  $("detail").replaceChildren();
  document.querySelectorAll("#viewport .row.selected").forEach((row) => row.classList.remove("selected"));
}

async function openDetail(id, { push = false, minPosition = 0 } = {}) {
  state.open = id;
  writeUrl({ push });
  document.querySelectorAll("#viewport .row").forEach((row) => row.classList.toggle("selected", row.dataset.id === id));
  const panel = $("detail");
  const view = state.view;
  panel.hidden = false;
  if (!minPosition) panel.replaceChildren(h("p", { className: "muted" }, "Loading details…"));
  const base = `/api/${view}/${encodeURIComponent(id)}`;
  try {
    const [item, history] = await Promise.all([api.get(base, { minPosition }), api.get(base + "/history", { minPosition })]);
    if (state.open !== id || state.view !== view) return;
    panel.replaceChildren(...detailContent(item.data, history.data));
  } catch (error) {
    if (state.open !== id || handleAuthFailure(error)) return;
    panel.replaceChildren(closeButton(), h("p", { className: "error", role: "alert" }, failureText(error)));
  }
}

function closeButton() {
  return h(
    "button",
    {
      type: "button",
      className: "ghost close",
      "aria-label": "Close details",
      onclick: () => {
        state.open = "";
        closeDetailPanel();
        writeUrl({ push: true });
      },
    },
    "×",
  );
}

function detailContent(item, history) {
  const fields = [
    ["Id", item.id],
    ["Status", item.status],
    ...(item.url !== undefined ? [["URL", item.url || "—"]] : []),
    ["Created", formatTime(item.created_at)],
    ["Updated", formatTime(item.updated_at)],
    ["Version", item.version],
  ];
  const list = h("dl", {}, fields.flatMap(([label, value]) => [h("dt", {}, label), h("dd", {}, String(value ?? ""))]));
  const parts = [closeButton(), h("h2", {}, nameOf(item)), list];
  if (item.config !== undefined) parts.push(h("h3", {}, "Config"), h("pre", {}, JSON.stringify(item.config, null, 2)));
  const events = history?.events || [];
  parts.push(
    h("h3", {}, `History (${events.length} event${events.length === 1 ? "" : "s"})`),
    h(
      "ol",
      { className: "history" },
      events.map((event) =>
        h(
          "li",
          { dataset: { type: event.type } },
          h("span", { className: "event-type" }, shortType(event.type)),
          h("span", { className: "muted" }, ` #${event.sequence} · ${formatTime(event.time)}${event.actor ? " · " + event.actor : ""}`),
          h("pre", {}, JSON.stringify(event.data, null, 2)),
        ),
      ),
    ),
  );
  return parts;
}

function shortType(type) {
  return String(type || "").replace(/^tessera\./, "").replace(/\.v\d+$/, "");
}

// ---- stats ----

async function loadStats({ minPosition = 0 } = {}) {
  const section = $("stats");
  if (!state.tenant) return;
  const tenant = state.tenant;
  if (!section.childElementCount) section.replaceChildren(h("div", { className: "card muted" }, "Loading stats…"));
  try {
    const body = await api.get(`/api/tenants/${encodeURIComponent(tenant)}/stats`, { minPosition });
    if (tenant !== state.tenant) return;
    section.replaceChildren(...statsCards(body.data));
  } catch (error) {
    if (tenant !== state.tenant || handleAuthFailure(error)) return;
    section.replaceChildren(h("div", { className: "card error", role: "alert" }, "Stats: " + failureText(error)));
  }
}

function statsCards(stats) {
  const countsCard = (title, counts, kind) =>
    h(
      "div",
      { className: "card", dataset: { card: kind } },
      h("span", { className: "label" }, title),
      h("b", { className: "total" }, String(counts?.total ?? 0)),
      h(
        "ul",
        { className: "by-status" },
        Object.entries(counts?.by_status || counts?.by_role || {}).map(([status, count]) =>
          h("li", {}, h("span", { className: "badge", dataset: { status } }, status), " ", String(count)),
        ),
      ),
    );
  const quotaCard = (title, usage, kind) => {
    const used = usage?.used ?? 0;
    const limit = usage?.limit;
    const share = limit ? Math.min(1, used / limit) : 0;
    const bar = h("div", { className: "fill" + (share >= 0.9 ? " high" : share >= 0.7 ? " warm" : "") });
    bar.style.width = Math.round(share * 100) + "%";
    return h(
      "div",
      { className: "card quota", dataset: { card: kind } },
      h("span", { className: "label" }, title),
      h("b", { className: "total" }, limit ? `${used} / ${limit}` : String(used)),
      h("div", { className: "meter", role: "meter", "aria-valuemin": "0", "aria-valuemax": String(limit || 0), "aria-valuenow": String(used) }, bar),
      h("span", { className: "muted" }, limit ? "created in the last hour" : "no limit recorded"),
    );
  };
  return [
    countsCard("Deployments", stats.deployments, "deployments"),
    countsCard("Workflows", stats.workflows, "workflows"),
    countsCard("Users", stats.users, "users"),
    quotaCard("Deployment quota", stats.quotas?.deployments_per_hour, "deployment-quota"),
    quotaCard("Workflow quota", stats.quotas?.workflows_per_hour, "workflow-quota"),
  ];
}

// ---- tenants ----

async function loadTenants() {
  const select = $("tenant");
  const body = await api.get("/api/tenants?per_page=100");
  const tenants = body.data || [];
  const home = body.tenant_id;
  const ids = tenants.map((tenant) => tenant.id);
  if (home && !ids.includes(home)) tenants.unshift({ id: home, name: home });
  select.replaceChildren(
    ...tenants.map((tenant) =>
      h("option", { value: tenant.id }, tenant.name && tenant.name !== tenant.id ? `${tenant.name} (${tenant.id})` : tenant.id),
    ),
  );
  const stored = localStorage.getItem(TENANT_KEY);
  state.tenant = tenants.some((tenant) => tenant.id === stored) ? stored : home || tenants[0]?.id || "";
  select.value = state.tenant;
  if (state.tenant) localStorage.setItem(TENANT_KEY, state.tenant);
  select.disabled = tenants.length < 2;
  $("tenant-label").hidden = false;
}

function switchTenant(tenant) {
  state.tenant = tenant;
  localStorage.setItem(TENANT_KEY, tenant);
  state.open = "";
  state.page = 1;
  closeDetailPanel();
  $("stats").replaceChildren();
  writeUrl();
  startLive();
  loadStats();
  loadList();
}

// ---- live updates ----

const pending = { position: 0, subjects: new Set(), kinds: new Set() };

const applyLive = debounce(() => {
  const position = pending.position;
  const subjects = new Set(pending.subjects);
  const kinds = new Set(pending.kinds);
  pending.position = 0;
  pending.subjects.clear();
  pending.kinds.clear();
  api.invalidate();
  loadStats({ minPosition: position });
  const kind = state.view === "deployments" ? "deployment" : "workflow";
  if (!kinds.has(kind)) return;
  if (state.mode === "pages" || list.size === 0) {
    loadList({ keepScroll: list.size > 0, minPosition: position });
  } else {
    mergeFirstBatch(position);
  }
  if (state.open && subjects.has(state.open)) openDetail(state.open, { minPosition: position });
}, 150);

/** Infinite scroll keeps what is loaded: the first batch is read again and new or changed rows merged in. */
async function mergeFirstBatch(position) {
  const generation = state.generation;
  try {
    const body = await api.get(listPath(), { minPosition: position });
    if (generation !== state.generation) return;
    const known = new Map(list.items.map((item) => [item.id, item]));
    const fresh = body.data.filter((item) => !known.has(item.id)).map((item) => ({ ...item, fresh: true }));
    for (const item of body.data) {
      const old = known.get(item.id);
      if (old && old.version !== item.version) list.upsert(item);
    }
    if (fresh.length) {
      const newestFirst = state.filters.sort === "-created_at";
      list.setItems(newestFirst ? [...fresh, ...list.items] : [...list.items, ...fresh], { keepScroll: true });
      if (state.total !== null) state.total += fresh.length;
      showState(null);
    }
    renderCount();
  } catch (error) {
    if (!handleAuthFailure(error)) showNotice(failureText(error));
  }
}

function onLiveEvent(event) {
  const kind = String(event.type || "").split(".")[1];
  pending.position = Math.max(pending.position, Number(event.position) || 0);
  pending.kinds.add(kind);
  if (event.subject) pending.subjects.add(event.subject);
  applyLive();
}

function startLive() {
  state.live?.close();
  const indicator = $("live");
  indicator.hidden = false;
  let firstReady = true;
  state.live = openLiveStream({
    path: "/api/stream",
    headers: () => api.headers(),
    onReady: () => {
      // After a reconnect, something may have been missed: read everything again.
      if (!firstReady) {
        api.invalidate();
        loadStats();
        loadList({ keepScroll: true });
      }
      firstReady = false;
    },
    onEvent: onLiveEvent,
    onState: (live, message) => {
      indicator.dataset.state = live;
      indicator.textContent = { live: "live", connecting: "connecting…", reconnecting: "reconnecting…", refused: "offline" }[live] || live;
      indicator.title = message || "Live updates: " + live;
    },
  });
}

// ---- sign-in ----

function describeToken(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const roles = Array.isArray(payload.roles) ? payload.roles.join(", ") : "";
    return `${payload.sub || "?"}${roles ? " · " + roles : ""}${payload.platform_admin ? " · platform admin" : ""}`;
  } catch {
    return "";
  }
}

function signOut(reason) {
  state.live?.close();
  state.live = null;
  state.token = "";
  state.tenant = "";
  sessionStorage.removeItem(TOKEN_KEY);
  api.invalidate();
  $("app").hidden = true;
  $("sign-out").hidden = true;
  $("tenant-label").hidden = true;
  $("live").hidden = true;
  $("who").textContent = "";
  $("stats").replaceChildren();
  $("sign-in").hidden = false;
  $("sign-in-error").textContent = reason || "";
  $("token-input").value = "";
  $("token-input").focus();
}

async function start() {
  if (!state.token) {
    signOut("");
    return;
  }
  $("sign-in").hidden = true;
  $("who").textContent = describeToken(state.token);
  $("sign-out").hidden = false;
  try {
    await loadTenants();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
      signOut("Sign-in failed: " + error.message);
      return;
    }
    showNotice(failureText(error));
  }
  $("app").hidden = false;
  syncControls();
  startLive();
  loadStats();
  await loadList();
  if (state.open) openDetail(state.open);
}

// ---- wiring ----

function onFiltersChanged() {
  state.page = 1;
  state.open = "";
  closeDetailPanel();
  writeUrl();
  loadList();
}

const searchLater = debounce(() => {
  state.filters.q = $("q").value;
  onFiltersChanged();
}, SEARCH_DELAY_MS);

function wire() {
  $("sign-in-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token-input").value.trim();
    if (!token) return;
    state.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
    start();
  });
  $("sign-out").addEventListener("click", () => signOut(""));
  $("tenant").addEventListener("change", (event) => switchTenant(event.target.value));
  document.querySelectorAll(".tabs button").forEach((button) =>
    button.addEventListener("click", () => {
      if (state.view === button.dataset.view) return;
      state.view = button.dataset.view;
      state.filters.status = "";
      state.page = 1;
      state.open = "";
      closeDetailPanel();
      syncControls();
      writeUrl({ push: true });
      loadList();
    }),
  );
  $("q").addEventListener("input", searchLater);
  for (const id of ["status", "from", "to", "sort"]) {
    $(id).addEventListener("change", () => {
      state.filters[id] = $(id).value;
      onFiltersChanged();
    });
  }
  $("mode").addEventListener("change", () => {
    state.mode = $("mode").value;
    onFiltersChanged();
  });
  $("filters").addEventListener("submit", (event) => event.preventDefault());
  window.addEventListener("popstate", () => {
    readUrl();
    syncControls();
    closeDetailPanel();
    loadList().then(() => state.open && openDetail(state.open));
  });
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && state.open) {
      state.open = "";
      closeDetailPanel();
      writeUrl({ push: true });
    }
  });
}

readUrl();
syncControls();
wire();
start();

// For the browser tests and the curious: what the client did, and any Content-Security-Policy violation.
const violations = [];
document.addEventListener("securitypolicyviolation", (event) => violations.push(event.violatedDirective + " " + event.blockedURI));
window.tesseraDashboard = {
  counters: () => api.counters(),
  rows: () => list.size,
  violations: () => [...violations],
};
