import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { threadId } from "node:worker_threads";
import hnswlib from "hnswlib-node";

const { HierarchicalNSW } = hnswlib;

/** The graph's shape: links per node (M) and build breadth (efConstruction). Bigger is more exact, slower to build, larger. */
export type HnswShape = { m: number; efConstruction: number };

export const DEFAULT_HNSW_SHAPE: HnswShape = { m: 32, efConstruction: 200 };

/**
 * hnswlib-node used directly: cosine space, integer labels that are passage row ids, ef set
 * explicitly, deletes by markDelete, and saves that never leave a torn file behind.
 */
export class HnswVectorIndex {
  readonly dimensions: number;
  readonly #index: InstanceType<typeof HierarchicalNSW>;
  #deleted = 0;
  #maxLabel = 0;

  private constructor(dimensions: number, index: InstanceType<typeof HierarchicalNSW>) {
    this.dimensions = dimensions;
    this.#index = index;
  }

  static create(options: { dimensions: number; capacity: number; ef: number; m?: number; efConstruction?: number }): HnswVectorIndex {
    const index = new HierarchicalNSW("cosine", options.dimensions);
    index.initIndex(Math.max(16, options.capacity), options.m ?? 16, options.efConstruction ?? 200, 100, true);
    index.setEf(options.ef);
    return new HnswVectorIndex(options.dimensions, index);
  }

  /** Load a saved index; `deleted` is how many of its entries were marked deleted when it was saved. */
  static async load(path: string, options: { dimensions: number; ef: number; deleted: number }): Promise<HnswVectorIndex> {
    const index = new HierarchicalNSW("cosine", options.dimensions);
    await index.readIndex(path, true);
    index.setEf(options.ef);
    const loaded = new HnswVectorIndex(options.dimensions, index);
    loaded.#deleted = options.deleted;
    // A loop, not Math.max(...labels): spreading 100k+ labels overflows the call stack.
    for (const label of index.getIdsList()) if (label > loaded.#maxLabel) loaded.#maxLabel = label;
    return loaded;
  }

  /** The highest label ever added, deleted or not. */
  get maxLabel(): number {
    return this.#maxLabel;
  }

  get size(): number {
    return this.#index.getCurrentCount() - this.#deleted;
  }

  get deletedCount(): number {
    return this.#deleted;
  }

  add(label: number, vector: Float32Array): void {
    if (this.#index.getCurrentCount() >= this.#index.getMaxElements()) {
      this.#index.resizeIndex(Math.ceil(this.#index.getMaxElements() * 1.5) + 16);
    }
    // A deleted entry's slot when there is one: hnswlib then re-links the slot's neighbours around
    // the point. A point in a new slot among near-identical neighbours can end up with no link
    // into it, and no search finds it (a changed passage lost to dense search after a restart).
    const before = this.#index.getCurrentCount();
    this.#index.addPoint(Array.from(vector), label, true);
    if (this.#index.getCurrentCount() === before && this.#deleted > 0) this.#deleted -= 1;
    if (label > this.#maxLabel) this.#maxLabel = label;
  }

  remove(label: number): void {
    try {
      this.#index.markDelete(label);
      this.#deleted += 1;
    } catch {
      // Not in the index (never added or already deleted): nothing to do.
    }
  }

  /** Nearest labels with cosine similarity (1 - distance), best first. */
  search(vector: Float32Array, k: number, filter?: (label: number) => boolean): { label: number; similarity: number }[] {
    const count = this.size;
    if (count === 0) return [];
    const { neighbors, distances } = this.#index.searchKnn(Array.from(vector), Math.min(k, count), filter);
    return neighbors.map((label, position) => ({ label, similarity: 1 - distances[position]! }));
  }

  /**
   * Exact cosine similarity of the given labels (a product's few passages): for small sets this
   * beats a filtered graph search, which walks most of the graph calling back for every node.
   */
  scoreExactly(vector: Float32Array, labels: Iterable<number>, k: number): { label: number; similarity: number }[] {
    let norm = 0;
    for (const value of vector) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    const scored: { label: number; similarity: number }[] = [];
    for (const label of labels) {
      const point = this.#index.getPoint(label);
      let dot = 0;
      let pointNorm = 0;
      for (let index = 0; index < point.length; index += 1) {
        dot += point[index]! * vector[index]!;
        pointNorm += point[index]! * point[index]!;
      }
      scored.push({ label, similarity: dot / (norm * (Math.sqrt(pointNorm) || 1)) });
    }
    return scored.sort((a, b) => b.similarity - a.similarity).slice(0, k);
  }

  /**
   * Write to a temporary file (owner-only, 0600), flushed to disk a chunk at a time, then rename it
   * over the target. hnswlib writes the whole file at once (235 MB at 100k passages) and one fsync of
   * it kept the disk busy for up to a second: the conversation writer's commits, and so the shoppers'
   * acks, waited behind it. The file is written to a staging file first, which only fills the page
   * cache and is deleted before the kernel writes it back; the copy that is kept goes to disk
   * FLUSH_CHUNK_BYTES at a time, so commits get in between the chunks instead of waiting for the
   * whole file.
   */
  async save(path: string, options: { chunkBytes?: number; onWritten?: () => void } = {}): Promise<void> {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    await removeLeftovers(path);
    const temporary = `${path}.tmp-${process.pid}-${threadId}-${Date.now()}`;
    const staged = `${temporary}-staged`;
    try {
      try {
        await this.#index.writeIndex(staged);
      } finally {
        // hnswlib has read the index: it may change again while the copy goes to disk.
        options.onWritten?.();
      }
      await copyFlushed(staged, temporary, options.chunkBytes ?? FLUSH_CHUNK_BYTES);
      await rm(staged);
      await rename(temporary, path);
      const directory = await open(dirname(path), "r");
      try {
        await directory.sync();
      } finally {
        await directory.close();
      }
    } catch (error) {
      await Promise.all([rm(temporary, { force: true }), rm(staged, { force: true })]);
      throw error;
    }
  }
}

/** How much of a saved index goes to disk at once (see HnswVectorIndex.save). */
const FLUSH_CHUNK_BYTES = 4 * 1024 * 1024;

/** A temporary file untouched this long belongs to a save that stopped: a live save writes to it every few milliseconds. */
const LEFTOVER_AGE_MS = 10 * 60_000;

/**
 * Remove the temporary files of saves that a process stopped midway (killed, or the machine lost
 * power): two files as large as the index each. Those of this process are left alone, since
 * another of its threads may be saving now, and so are those written to lately: another process
 * on the same folder (`kefu ingest` beside a server) may be saving now.
 */
async function removeLeftovers(path: string): Promise<void> {
  const prefix = `${basename(path)}.tmp-`;
  const own = `${prefix}${process.pid}-`;
  const entries = (await readdir(dirname(path))).filter((entry) => entry.startsWith(prefix) && !entry.startsWith(own)).map((entry) => join(dirname(path), entry));
  const stale = async (file: string) => Date.now() - ((await stat(file).catch(() => null))?.mtimeMs ?? Date.now()) > LEFTOVER_AGE_MS;
  await Promise.all(entries.map(async (file) => (await stale(file)) && rm(file, { force: true })));
}

/** Copy `from` into a new owner-only file `to`, each chunk flushed to disk (fdatasync) before the next is written. */
async function copyFlushed(from: string, to: string, chunkBytes: number): Promise<void> {
  const source = await open(from, "r");
  try {
    const target = await open(to, "wx", 0o600);
    try {
      const buffer = Buffer.allocUnsafe(chunkBytes);
      for (;;) {
        const { bytesRead } = await source.read(buffer, 0, buffer.length, null);
        if (bytesRead === 0) break;
        for (let written = 0; written < bytesRead; ) written += (await target.write(buffer, written, bytesRead - written)).bytesWritten;
        await target.datasync();
      }
      await target.sync();
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}
