/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranked list gives an item weight / (k + rank),
 * rank counted from 1. Items missing from a list get nothing from it.
 */
export function reciprocalRankFusion<T>(lists: readonly { items: readonly T[]; weight?: number }[], k = 60): Map<T, number> {
  const scores = new Map<T, number>();
  for (const { items, weight = 1 } of lists) {
    items.forEach((item, index) => {
      scores.set(item, (scores.get(item) ?? 0) + weight / (k + index + 1));
    });
  }
  return scores;
}
