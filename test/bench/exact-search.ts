import { DatabaseSync } from "node:sqlite";

/**
 * Brute-force cosine search over every passage embedding stored in a knowledge.db: the ground
 * truth the hnswlib index is measured against. Vectors are kept normalised and dimension-major
 * (one column of all passages per dimension), so a query costs one pass over the columns of its
 * non-zero dimensions: exact for any vector, and fast for the sparse vectors of the offline
 * hashing embedder.
 */
export class ExactIndex {
  readonly dimensions: number;
  readonly size: number;
  readonly labels: Float64Array;
  readonly #columns: Float32Array;
  readonly #positionOf = new Map<number, number>();
  readonly #scores: Float32Array;

  private constructor(dimensions: number, labels: Float64Array, columns: Float32Array) {
    this.dimensions = dimensions;
    this.size = labels.length;
    this.labels = labels;
    this.#columns = columns;
    this.#scores = new Float32Array(this.size);
    labels.forEach((label, position) => this.#positionOf.set(label, position));
  }

  /** From vectors in memory, labelled. */
  static fromVectors(labels: readonly number[], vectors: readonly Float32Array[], dimensions: number): ExactIndex {
    const count = vectors.length;
    const columns = new Float32Array(count * dimensions);
    vectors.forEach((vector, position) => {
      let norm = 0;
      for (const value of vector) norm += value * value;
      norm = Math.sqrt(norm) || 1;
      for (let dimension = 0; dimension < dimensions; dimension += 1) columns[dimension * count + position] = vector[dimension]! / norm;
    });
    return new ExactIndex(dimensions, Float64Array.from(labels), columns);
  }

  /**
   * Read every stored embedding (SELECT label, embedding FROM passages, the order a rebuild of the
   * index uses). `each` sees every row as it is read, e.g. to build an index from the same rows.
   */
  static fromDatabase(path: string, dimensions: number, each?: (label: number, vector: Float32Array) => void): ExactIndex {
    const database = new DatabaseSync(path, { readOnly: true });
    try {
      const count = (database.prepare("SELECT count(*) AS n FROM passages").get() as { n: number }).n;
      const labels = new Float64Array(count);
      const columns = new Float32Array(count * dimensions);
      let position = 0;
      for (const row of database.prepare("SELECT label, embedding FROM passages").iterate() as Iterable<{ label: number; embedding: Uint8Array }>) {
        if (position >= count) break;
        const vector = new Float32Array(row.embedding.buffer.slice(row.embedding.byteOffset, row.embedding.byteOffset + row.embedding.byteLength));
        if (vector.length !== dimensions) throw new Error(`passage ${row.label} has ${vector.length} dimensions, expected ${dimensions}`);
        each?.(row.label, vector);
        let norm = 0;
        for (const value of vector) norm += value * value;
        norm = Math.sqrt(norm) || 1;
        for (let dimension = 0; dimension < dimensions; dimension += 1) columns[dimension * count + position] = vector[dimension]! / norm;
        labels[position] = row.label;
        position += 1;
      }
      return new ExactIndex(dimensions, labels.subarray(0, position), columns);
    } finally {
      database.close();
    }
  }

  /**
   * The k most similar labels with their cosine similarity, best first, and the exact similarity
   * of each of `candidates` (e.g. what an approximate index returned) to the same query.
   */
  search(query: Float32Array, k: number, candidates: readonly number[] = []): { top: { label: number; similarity: number }[]; candidateSimilarities: number[] } {
    const scores = this.#score(query);
    // Keep the best k in a small sorted array: k is tiny next to the passage count.
    const best: { position: number; score: number }[] = [];
    for (let position = 0; position < this.size; position += 1) {
      const score = scores[position]!;
      if (best.length === k && score <= best[k - 1]!.score) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < score) at -= 1;
      best.splice(at, 0, { position, score });
      if (best.length > k) best.pop();
    }
    return {
      top: best.map(({ position, score }) => ({ label: this.labels[position]!, similarity: score })),
      candidateSimilarities: candidates.map((label) => {
        const position = this.#positionOf.get(label);
        return position === undefined ? Number.NaN : scores[position]!;
      }),
    };
  }

  #score(query: Float32Array): Float32Array {
    let norm = 0;
    for (const value of query) norm += value * value;
    norm = Math.sqrt(norm) || 1;
    const scores = this.#scores;
    scores.fill(0);
    const size = this.size;
    for (let dimension = 0; dimension < this.dimensions; dimension += 1) {
      const weight = query[dimension]! / norm;
      if (weight === 0) continue;
      const offset = dimension * size;
      const column = this.#columns;
      for (let position = 0; position < size; position += 1) scores[position]! += weight * column[offset + position]!;
    }
    return scores;
  }
}
