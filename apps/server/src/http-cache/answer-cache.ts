import { LRUCache } from "lru-cache";

/** A built answer: the bytes tRPC sent, with its content type and entity tag. */
export interface CachedAnswer {
  etag: string;
  contentType: string;
  body: Buffer;
}

export interface AnswerCacheBounds {
  /** At most this many answers (default 1,000). */
  maxEntries: number;
  /** At most this many bytes of answers and keys together (default 16 MiB). */
  maxBytes: number;
  /** An answer bigger than this is never kept (default a quarter of `maxBytes`): one big matrix must not flush the rest. */
  maxEntryBytes: number;
}

export const defaultAnswerCacheBounds: AnswerCacheBounds = {
  maxEntries: 1000,
  maxBytes: 16 * 1024 * 1024,
  maxEntryBytes: 4 * 1024 * 1024,
};

/**
 * Built answers by key (the entity tag's input), least recently used first out, bounded by entries and by bytes.
 * Every key holds the data version, so an answer of an older version is never looked up again; when the version
 * moves, `advance` drops them all at once rather than letting dead answers fill the bounds.
 */
export class AnswerCache {
  private readonly lru: LRUCache<string, CachedAnswer>;
  private epoch: string | null = null;

  constructor(readonly bounds: AnswerCacheBounds = defaultAnswerCacheBounds) {
    this.lru = new LRUCache<string, CachedAnswer>({
      max: bounds.maxEntries,
      maxSize: bounds.maxBytes,
      maxEntrySize: Math.min(bounds.maxEntryBytes, bounds.maxBytes),
      sizeCalculation: (answer, key) => answer.body.length + answer.etag.length + answer.contentType.length + key.length * 2,
    });
  }

  /** Called with the current data version (and day) before every lookup; a new one empties the cache. */
  advance(epoch: string): void {
    if (epoch === this.epoch) return;
    this.epoch = epoch;
    this.lru.clear();
  }

  get(key: string): CachedAnswer | undefined {
    return this.lru.get(key);
  }

  /**
   * Keeps the answer if it fits within `maxEntryBytes`, dropping the least recently used to stay within the bounds;
   * not when the version moved on while it was being built (`epoch` is the one it was built at): it is dead already.
   */
  set(key: string, answer: CachedAnswer, epoch: string): void {
    if (epoch !== this.epoch) return;
    this.lru.set(key, answer);
  }

  /** How many answers are kept and their bytes as counted against `maxBytes`. */
  size(): { entries: number; bytes: number } {
    return { entries: this.lru.size, bytes: this.lru.calculatedSize };
  }
}
