import { HashingEmbedder } from "../retrieval/hashing-embedder.ts";

export type QuestionGroup = {
  /** The question nearest the group's centre: its label. */
  label: string;
  count: number;
  examples: { conversationId: string; question: string; at: string }[];
};

const embedder = new HashingEmbedder(512);
const SAME_TOPIC = 0.45;

/**
 * Group similar questions (zh and en) greedily around running centroids in the offline
 * embedder's space, largest groups first. Cheap enough for thousands of questions.
 */
export function groupQuestions(questions: readonly { conversationId: string; question: string; at: string }[], maxExamples = 5): QuestionGroup[] {
  const groups: { centroid: Float32Array; members: { item: (typeof questions)[number]; vector: Float32Array }[] }[] = [];
  for (const item of questions) {
    const vector = embedder.embedOne(item.question);
    let best: (typeof groups)[number] | undefined;
    let bestSimilarity = SAME_TOPIC;
    for (const group of groups) {
      const similarity = cosine(vector, group.centroid);
      if (similarity >= bestSimilarity) [best, bestSimilarity] = [group, similarity];
    }
    if (best) {
      best.members.push({ item, vector });
      best.centroid = normalise(best.centroid.map((value, index) => value + (vector[index]! - value) / best.members.length));
    } else {
      groups.push({ centroid: vector, members: [{ item, vector }] });
    }
  }
  return groups
    .map((group) => {
      const central = group.members.reduce((a, b) => (cosine(a.vector, group.centroid) >= cosine(b.vector, group.centroid) ? a : b));
      return { label: central.item.question, count: group.members.length, examples: group.members.slice(0, maxExamples).map((member) => member.item) };
    })
    .sort((a, b) => b.count - a.count || a.label.localeCompare(b.label));
}

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < a.length; index += 1) {
    dot += a[index]! * b[index]!;
    normA += a[index]! ** 2;
    normB += b[index]! ** 2;
  }
  return normA && normB ? dot / Math.sqrt(normA * normB) : 0;
}

function normalise(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  return norm ? vector.map((value) => value / norm) : vector;
}
