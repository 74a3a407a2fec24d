import { mkdtemp, open, readdir, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { HnswVectorIndex } from "../../src/retrieval/vector-index.ts";

const DIMENSIONS = 32;

/** A deterministic unit vector per seed. */
function vectorOf(seed: number): Float32Array {
  const vector = new Float32Array(DIMENSIONS);
  let state = seed * 2_654_435_761 + 1;
  for (let index = 0; index < DIMENSIONS; index += 1) {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    vector[index] = state / 2_147_483_648 - 0.5;
  }
  return vector;
}

describe("saving the vector index", () => {
  let directory = "";
  afterEach(async () => {
    if (directory) await rm(directory, { recursive: true, force: true });
  });

  it("writes the file a chunk at a time and loads back the same index, owner-only, with no temporary file left, its own or an earlier save's", async () => {
    directory = await mkdtemp(join(tmpdir(), "kefu-vectors-"));
    const index = HnswVectorIndex.create({ dimensions: DIMENSIONS, capacity: 2_000, ef: 100, m: 16, efConstruction: 100 });
    for (let label = 1; label <= 2_000; label += 1) index.add(label, vectorOf(label));
    index.remove(7);
    const path = join(directory, "vectors.hnsw");
    // What a save killed midway an hour ago left behind: removed by the next save.
    const anHourAgo = new Date(Date.now() - 3_600_000);
    for (const name of ["vectors.hnsw.tmp-4194301-1-1700000000000", "vectors.hnsw.tmp-4194301-1-1700000000000-staged"]) {
      await writeFile(join(directory, name), "torn");
      await utimes(join(directory, name), anHourAgo, anHourAgo);
    }
    // Chunks far smaller than the file: dozens of writes, each flushed before the next.
    const probe = await open(join(directory, "probe"), "w");
    const fileHandle = Object.getPrototypeOf(probe) as { datasync(this: unknown): Promise<void> };
    await probe.close();
    await rm(join(directory, "probe"));
    const datasync = fileHandle.datasync;
    let flushes = 0;
    fileHandle.datasync = function (this: unknown) {
      flushes += 1;
      return datasync.call(this);
    };
    try {
      await index.save(path, { chunkBytes: 16 * 1024 });
    } finally {
      fileHandle.datasync = datasync;
    }
    const saved = await stat(path);
    expect(saved.size).toBeGreaterThan(20 * 16 * 1024);
    expect(flushes).toBe(Math.ceil(saved.size / (16 * 1024)));
    expect(saved.mode & 0o777).toBe(0o600);
    expect(await readdir(directory)).toEqual(["vectors.hnsw"]);

    const loaded = await HnswVectorIndex.load(path, { dimensions: DIMENSIONS, ef: 100, deleted: 1 });
    for (const seed of [3, 7, 500, 1_999]) expect(loaded.search(vectorOf(seed), 5)).toEqual(index.search(vectorOf(seed), 5));
    expect(loaded.search(vectorOf(7), 5).map((hit) => hit.label)).not.toContain(7);
  });

  it("leaves another process's temporary file alone while it is being written (a save going on now)", async () => {
    directory = await mkdtemp(join(tmpdir(), "kefu-vectors-"));
    const index = HnswVectorIndex.create({ dimensions: DIMENSIONS, capacity: 10, ef: 10, m: 16, efConstruction: 100 });
    index.add(1, vectorOf(1));
    const live = "vectors.hnsw.tmp-4194301-2-1700000000000";
    await writeFile(join(directory, live), "being written");
    await index.save(join(directory, "vectors.hnsw"));
    expect((await readdir(directory)).sort()).toEqual(["vectors.hnsw", live].sort());
  });
});
