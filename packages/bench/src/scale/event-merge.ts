import type { PlannedEvent } from "./simulate-plan.js";

interface Stream {
  events: readonly PlannedEvent[];
  next: number;
  order: number;
}

/**
 * Merges the time-ordered events of many plans into one time-ordered stream (a binary heap of per-plan cursors),
 * so that the audit chain reads as the history happened while plans are generated one at a time.
 */
export class EventMerge {
  private readonly heap: Stream[] = [];
  private added = 0;

  add(events: readonly PlannedEvent[]): void {
    if (events.length === 0) return;
    this.added += 1;
    this.heap.push({ events, next: 0, order: this.added });
    this.up(this.heap.length - 1);
  }

  /** Hands every event earlier than `beforeMs` to `emit`, oldest first. */
  drain(beforeMs: number, emit: (event: PlannedEvent) => void): void {
    for (;;) {
      const top = this.heap[0];
      const event = top?.events[top.next];
      if (top === undefined || event === undefined || event.atMs >= beforeMs) return;
      emit(event);
      top.next += 1;
      if (top.next === top.events.length) {
        const last = this.heap.pop();
        if (last !== undefined && this.heap.length > 0) {
          this.heap[0] = last;
          this.down(0);
        }
      } else {
        this.down(0);
      }
    }
  }

  get pendingStreams(): number {
    return this.heap.length;
  }

  private less(a: Stream, b: Stream): boolean {
    const x = a.events[a.next]?.atMs ?? Number.POSITIVE_INFINITY;
    const y = b.events[b.next]?.atMs ?? Number.POSITIVE_INFINITY;
    return x < y || (x === y && a.order < b.order);
  }

  private up(index: number): void {
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const a = this.heap[i];
      const b = this.heap[parent];
      if (a === undefined || b === undefined || !this.less(a, b)) return;
      this.heap[i] = b;
      this.heap[parent] = a;
      i = parent;
    }
  }

  private down(index: number): void {
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      const at = (k: number): Stream | undefined => this.heap[k];
      const s = at(smallest);
      const l = at(left);
      if (l !== undefined && s !== undefined && this.less(l, s)) smallest = left;
      const best = at(smallest);
      const r = at(right);
      if (r !== undefined && best !== undefined && this.less(r, best)) smallest = right;
      if (smallest === i) return;
      const x = at(i);
      const y = at(smallest);
      if (x === undefined || y === undefined) return;
      this.heap[i] = y;
      this.heap[smallest] = x;
      i = smallest;
    }
  }
}
