// A list that keeps only the rows in view (plus a margin) in the DOM: rows of a fixed height, absolutely placed
// inside a spacer as tall as all rows, re-rendered at most once a frame. Thousands of rows cost a few dozen nodes.

export class VirtualList {
  constructor(viewport, { rowHeight = 44, overscan = 10, renderRow, onNearEnd = () => {} }) {
    this.viewport = viewport;
    this.rowHeight = rowHeight;
    this.overscan = overscan;
    this.renderRow = renderRow;
    this.onNearEnd = onNearEnd;
    this.items = [];
    this.rendered = new Map();
    this.spacer = document.createElement("div");
    this.spacer.className = "spacer";
    viewport.replaceChildren(this.spacer);
    this.frame = 0;
    viewport.addEventListener("scroll", () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(viewport);
  }

  setItems(items, { keepScroll = false } = {}) {
    this.items = items;
    for (const element of this.rendered.values()) element.remove();
    this.rendered.clear();
    if (!keepScroll) this.viewport.scrollTop = 0;
    this.render();
  }

  append(items) {
    this.items = this.items.concat(items);
    this.render();
  }

  /** Replaces the item with the same id (re-rendering its row) or, when it is new, inserts it at the top. */
  upsert(item, { atTop = true } = {}) {
    const index = this.items.findIndex((existing) => existing.id === item.id);
    if (index >= 0) {
      this.items[index] = item;
      this.rendered.get(index)?.remove();
      this.rendered.delete(index);
    } else {
      this.items = atTop ? [item, ...this.items] : [...this.items, item];
      for (const element of this.rendered.values()) element.remove();
      this.rendered.clear();
    }
    this.render();
  }

  remove(id) {
    this.setItems(
      this.items.filter((item) => item.id !== id),
      { keepScroll: true },
    );
  }

  schedule() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.render();
    });
  }

  render() {
    const { rowHeight, overscan, items } = this;
    this.spacer.style.height = items.length * rowHeight + "px";
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
    const last = Math.min(items.length - 1, Math.ceil((top + height) / rowHeight) + overscan);
    for (const [index, element] of this.rendered) {
      if (index < first || index > last) {
        element.remove();
        this.rendered.delete(index);
      }
    }
    for (let index = first; index <= last; index++) {
      if (this.rendered.has(index)) continue;
      const element = this.renderRow(items[index], index);
      element.style.transform = `translateY(${index * rowHeight}px)`;
      element.style.height = rowHeight + "px";
      this.spacer.append(element);
      this.rendered.set(index, element);
    }
    if (items.length && top + height >= items.length * rowHeight - rowHeight * overscan) this.onNearEnd();
  }

  get size() {
    return this.items.length;
  }
}
