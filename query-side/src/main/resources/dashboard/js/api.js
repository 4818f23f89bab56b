// The query API client: bearer token and X-Tenant-ID on every request, answers cached for a short TTL, identical
// requests in flight shared, the rate limit respected (a 429 waits for Retry-After; an exhausted window waits for
// X-RateLimit-Reset), failures raised with the envelope's message.
import { sleep } from "./dom.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

const MAX_RETRIES = 3;

export function createApi({ token, tenant, ttlMs = 15_000, onWait = () => {} }) {
  const cache = new Map();
  const inFlight = new Map();
  let resumeAt = 0;
  const limits = { limit: null, remaining: null, reset: null };
  const counters = { requests: 0, cacheHits: 0, shared: 0 };

  async function waitForWindow() {
    while (Date.now() < resumeAt) {
      onWait(Math.ceil((resumeAt - Date.now()) / 1000));
      await sleep(Math.min(1000, resumeAt - Date.now()));
    }
    onWait(0);
  }

  function headers(extra = {}) {
    const result = { Accept: "application/json", Authorization: "Bearer " + token(), ...extra };
    if (tenant()) result["X-Tenant-ID"] = tenant();
    return result;
  }

  function track(response) {
    const limit = response.headers.get("X-RateLimit-Limit");
    const remaining = response.headers.get("X-RateLimit-Remaining");
    const reset = response.headers.get("X-RateLimit-Reset");
    if (limit !== null) limits.limit = Number(limit);
    if (remaining !== null) limits.remaining = Number(remaining);
    if (reset !== null) limits.reset = Number(reset);
    if (limits.remaining === 0 && limits.reset) resumeAt = Math.max(resumeAt, limits.reset * 1000);
  }

  async function send(path, minPosition) {
    for (let attempt = 0; ; attempt++) {
      await waitForWindow();
      const extra = minPosition ? { "X-Min-Position": String(minPosition) } : {};
      let response;
      try {
        counters.requests++;
        response = await fetch(path, { headers: headers(extra), cache: "no-store" });
      } catch (networkFailure) {
        throw new ApiError(0, "NETWORK", "The query side cannot be reached");
      }
      track(response);
      const retryAfter = Number(response.headers.get("Retry-After"));
      const retryable = response.status === 429 || (response.status === 503 && minPosition);
      if (retryable && attempt < MAX_RETRIES) {
        resumeAt = Math.max(resumeAt, Date.now() + (retryAfter > 0 ? retryAfter * 1000 : 1000 * 2 ** attempt));
        continue;
      }
      const body = await response.json().catch(() => null);
      if (!response.ok || !body || body.success !== true) {
        throw new ApiError(
          response.status,
          body?.error?.code || "HTTP_" + response.status,
          body?.error?.message || `The request failed (HTTP ${response.status})`,
        );
      }
      return body;
    }
  }

  /** The envelope of GET path. {fresh}: skip the cache; {minPosition}: read-your-writes, never served from cache. */
  function get(path, { fresh = false, minPosition = 0 } = {}) {
    const key = tenant() + "\n" + path;
    const cached = cache.get(key);
    if (!fresh && !minPosition && cached && cached.expires > Date.now()) {
      counters.cacheHits++;
      return Promise.resolve(cached.body);
    }
    const flightKey = key + "\n" + (minPosition || "");
    if (inFlight.has(flightKey)) {
      counters.shared++;
      return inFlight.get(flightKey);
    }
    const request = send(path, minPosition)
      .then((body) => {
        cache.set(key, { body, expires: Date.now() + ttlMs });
        return body;
      })
      .finally(() => inFlight.delete(flightKey));
    inFlight.set(flightKey, request);
    return request;
  }

  return {
    get,
    headers,
    invalidate: () => cache.clear(),
    limits: () => ({ ...limits }),
    counters: () => ({ ...counters, cached: cache.size }),
  };
}
