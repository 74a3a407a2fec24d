import { detectLanguage, normalizeText } from "../text/segment.ts";
import { POLICY_TOPICS, type PolicyTopic } from "./policy-lexicon.ts";

/** A heading or question about what a policy excludes (a question's "能不能" / "有没有" is not one). */
const NEGATED_HEADING = [/\b(?:not|cannot|can't|won't|isn't|aren't|doesn't|don't)\b/, /不(?:支持|能|可以|在|包括|含|退|保)/];
const NEGATED_QUESTION = [/\b(?:not|cannot|can't|won't|isn't|aren't|doesn't|don't|except\w*|exclud\w*)\b/, /(?<![能可是会支有])不(?:支持|能|可以|在|包括|含|退|保)|哪些.{0,6}不|除了/];

/** A store policy topic the question asks about, and how specifically (longer phrasings count more). */
export type PolicyTopicHit = { topic: PolicyTopic; strength: number };

export function findPolicyTopics(question: string): PolicyTopicHit[] {
  const text = normalizeText(question);
  const hits: PolicyTopicHit[] = [];
  for (const topic of POLICY_TOPICS) {
    let longest = 0;
    for (const pattern of topic.ask) {
      const match = pattern.exec(text);
      if (match) longest = Math.max(longest, [...match[0]].length * (/\p{Script=Han}/u.test(match[0]) ? 4 : 1));
    }
    if (longest > 0) hits.push({ topic, strength: 0.7 + 0.3 * Math.min(1, longest / 12) });
  }
  return hits.sort((a, b) => b.strength - a.strength);
}

/**
 * How well a policy entry is about the topics asked, in [0,1]: the strongest topic its heading
 * names counts whole, one only its text names counts 0.4 (the heading is the question the entry
 * answers; its text mentions neighbouring topics in passing). An entry whose heading is also about
 * topics not asked counts less ("What happens to my coupon if I cancel?" for "can I cancel?").
 */
export function policyEntryMatch(topics: readonly PolicyTopicHit[], heading: string, text: string, question: string): number {
  const asked = normalizeText(question);
  let best = 0;
  for (const { topic, strength } of topics) {
    const named = topic.names.test(heading) ? 1 : topic.names.test(text) ? 0.4 : 0;
    best = Math.max(best, named * strength);
  }
  if (best === 0) return 0;
  // An entry about the exceptions ("Which items can't be returned?") answers a question about
  // exceptions, not the policy itself ("can I return it?").
  if (NEGATED_HEADING.some((pattern) => pattern.test(normalizeText(heading))) && !NEGATED_QUESTION.some((pattern) => pattern.test(asked))) best *= 0.5;
  const headingTopics = POLICY_TOPICS.filter((topic) => topic.names.test(heading));
  if (headingTopics.length === 0) return best;
  const askedShare = headingTopics.filter((topic) => topics.some((hit) => hit.topic === topic)).length / headingTopics.length;
  return best * (0.6 + 0.4 * askedShare);
}

/** The question with every policy phrasing it uses blanked out: what is left says what else it asks. */
export function withoutPolicyPhrasings(text: string, topics: readonly PolicyTopicHit[]): string {
  let rest = text;
  for (const { topic } of topics) for (const pattern of topic.ask) rest = rest.replace(new RegExp(pattern.source, "g"), " ");
  return rest;
}

/**
 * A lexical search query for a question: the question, plus for every policy topic it asks about
 * the words the store's policy entries use for it, in the question's language ("how long do I have
 * to send it back" also searches "return policy returns"). Without a policy phrasing, the question.
 */
export function withPolicyTerms(question: string): string {
  const topics = findPolicyTopics(question);
  if (topics.length === 0) return question;
  const language = detectLanguage(question);
  return `${question} ${topics.map(({ topic }) => topic.terms[language]).join(" ")}`;
}
