// Server-sent events read with fetch, not EventSource: EventSource cannot send the Authorization and X-Tenant-ID
// headers, and a token in the URL would end up in logs and history. Reconnects with back-off (Retry-After first);
// a refused token or tenant (401/403) stops it.
import { sleep } from "./dom.js";

export function openLiveStream({ path, headers, onReady, onEvent, onState }) {
  let stopped = false;
  let controller = null;

  async function run() {
    let backoff = 1000;
    while (!stopped) {
      controller = new AbortController();
      onState("connecting");
      let wait = backoff;
      try {
        const response = await fetch(path, {
          headers: { ...headers(), Accept: "text/event-stream" },
          cache: "no-store",
          signal: controller.signal,
        });
        if (response.status === 401 || response.status === 403) {
          const body = await response.json().catch(() => null);
          onState("refused", body?.error?.message || "Live updates are not allowed");
          return;
        }
        if (response.ok && response.body) {
          await read(response.body, (event) => {
            if (event.event === "ready") {
              backoff = 1000;
              onState("live");
              onReady();
            } else if (event.event === "event") {
              onEvent(JSON.parse(event.data));
            }
          });
        } else {
          const retryAfter = Number(response.headers.get("Retry-After"));
          if (retryAfter > 0) wait = retryAfter * 1000;
        }
      } catch (failure) {
        if (stopped) return;
      }
      if (stopped) return;
      onState("reconnecting");
      await sleep(wait);
      backoff = Math.min(backoff * 2, 30_000);
    }
  }

  run();
  return {
    close() {
      stopped = true;
      controller?.abort();
    },
  };
}

/** The text/event-stream format: fields per line, an event ends at a blank line, comments start with ':'. */
async function read(body, dispatch) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  let event = { event: "message", data: [], id: null };
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, end).replace(/\r$/, "");
      buffer = buffer.slice(end + 1);
      if (line === "") {
        if (event.data.length) dispatch({ event: event.event, id: event.id, data: event.data.join("\n") });
        event = { event: "message", data: [], id: event.id };
        continue;
      }
      if (line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let text = colon < 0 ? "" : line.slice(colon + 1);
      if (text.startsWith(" ")) text = text.slice(1);
      if (field === "data") event.data.push(text);
      else if (field === "event") event.event = text;
      else if (field === "id") event.id = text;
    }
  }
}
